/**
 * The match stage (function fingerprintMatch). Entry point: {@link io.spinledger.stage.match.MatchStage}, one stored
 * chunk in, its detections (or the chunk, to the fallback queue) out. {@link io.spinledger.stage.match.ChunkMatcher}
 * matches the chunk against the fingerprint index ({@code io.spinledger.engine.fingerprint});
 * {@link io.spinledger.stage.match.LearnedReferences} keeps the audio ACRCloud named as partial references, so the next
 * airing matches locally.
 */
package io.spinledger.stage.match;
