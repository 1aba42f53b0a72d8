/**
 * Film and TV soundtracks for cue sheets: {@link io.spinledger.soundtrack.SoundtrackFinder} finds the tracks of
 * the release linked to an IMDb title (MusicBrainz), else in the catalog, else on Spotify, and caches the answer.
 */
package io.spinledger.soundtrack;
