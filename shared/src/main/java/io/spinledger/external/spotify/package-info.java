/** Client of the Spotify Web API for ISRC and album look-ups ({@link io.spinledger.external.spotify.SpotifyClient}). */
package io.spinledger.external.spotify;
