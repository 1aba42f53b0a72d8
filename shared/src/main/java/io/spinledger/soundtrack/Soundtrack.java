package io.spinledger.soundtrack;

import java.util.List;

/**
 * A film's or programme's soundtrack, for a TV cue sheet.
 *
 * @param imdbId    the IMDb title id ({@code tt} and 7 or 8 digits)
 * @param title     the release or album title, or the title searched for; null when nothing was found
 * @param source    where the track list came from: {@value SoundtrackFinder#MUSICBRAINZ},
 *                  {@value SoundtrackFinder#CATALOG}, {@value SoundtrackFinder#SPOTIFY}, or
 *                  {@value SoundtrackFinder#NONE} when no source knows it
 * @param releaseId the source's id of the release (MusicBrainz release MBID, Spotify album id), or null
 * @param tracks    the tracks in release order; empty when not found
 * @param notes     what was tried and what failed, in order
 */
public record Soundtrack(String imdbId, String title, String source, String releaseId, List<Track> tracks,
                         List<String> notes) {
    public Soundtrack {
        tracks = tracks == null ? List.of() : List.copyOf(tracks);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** Whether a track list was found. */
    public boolean found() {
        return !tracks.isEmpty();
    }

    /**
     * One track of a soundtrack.
     *
     * @param disc           medium number, 1-based
     * @param position       position on the medium, 1-based
     * @param title          track title
     * @param artists        credited artists
     * @param lengthMs       length in milliseconds, or null when unknown
     * @param isrc           normalised ISRC, or null (Spotify album tracks carry none)
     * @param catalogTrackId the matching reference track in SpinLedger's catalog (same ISRC), or null: the tracks
     *                       the fingerprint engine can recognise on air
     * @param externalId     the source's id of the recording (MusicBrainz recording MBID, Spotify track id), or
     *                       null for catalog tracks
     */
    public record Track(int disc, int position, String title, List<String> artists, Long lengthMs, String isrc,
                        String catalogTrackId, String externalId) {
        public Track {
            artists = artists == null ? List.of() : List.copyOf(artists);
        }
    }
}
