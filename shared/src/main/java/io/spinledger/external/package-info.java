/**
 * What the external-service clients share: the two failure kinds a caller has to tell apart,
 * {@link io.spinledger.external.TransientExternalException} (retry later) and
 * {@link io.spinledger.external.ExternalServiceException} (retrying will not help).
 */
package io.spinledger.external;
