/**
 * Landmark audio fingerprinting, one stage per class: {@link io.spinledger.fingerprint.FingerprintExtractor}
 * (PCM -> peaks -> hashes), {@link io.spinledger.fingerprint.FingerprintIndex} (hash -> postings in
 * memory), {@link io.spinledger.fingerprint.IndexSegment} / {@link io.spinledger.fingerprint.IndexStore}
 * (the index as data in object storage), {@link io.spinledger.fingerprint.Matcher} (offset-histogram
 * voting), and {@link io.spinledger.fingerprint.FingerprintEngine} tying them together. All tunables
 * live in {@link io.spinledger.fingerprint.FingerprintConfig} and
 * {@link io.spinledger.fingerprint.MatchThresholds}.
 */
package io.spinledger.fingerprint;
