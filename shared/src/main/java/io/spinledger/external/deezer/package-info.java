/** Client of Deezer's public API for ISRC look-ups ({@link io.spinledger.external.deezer.DeezerClient}). */
package io.spinledger.external.deezer;
