/** Client of the MusicBrainz web service WS/2 ({@link io.spinledger.external.musicbrainz.MusicBrainzClient}). */
package io.spinledger.external.musicbrainz;
