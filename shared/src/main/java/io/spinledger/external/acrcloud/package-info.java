/**
 * ACRCloud identify API v1 client ({@link io.spinledger.external.acrcloud.AcrCloudClient}), its request signature and
 * response model, and WAV trimming for samples.
 */
package io.spinledger.external.acrcloud;
