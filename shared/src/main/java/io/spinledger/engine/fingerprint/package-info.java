/**
 * Audio fingerprinting robust to what radio does (speed and tempo changes, noise, codecs, talk-over,
 * processing), one stage per class:
 * {@link io.spinledger.engine.fingerprint.FingerprintExtractor} (PCM -> peaks -> triplet hashes invariant to
 * time and frequency scaling), {@link io.spinledger.engine.fingerprint.FingerprintIndex} (hash -> postings in
 * memory, 6 bytes each, shardable by hash range), {@link io.spinledger.engine.fingerprint.IndexSegment} /
 * {@link io.spinledger.engine.fingerprint.IndexStore} (the index as data in object storage: delta and base
 * segments, tombstones, compaction), {@link io.spinledger.engine.fingerprint.Matcher} (Hough vote for the line
 * track time = scale * query time + offset, with a pitch-consistency check), and
 * {@link io.spinledger.engine.fingerprint.FingerprintEngine} tying them together (identify, register,
 * findDuplicate). All tunables live in {@link io.spinledger.engine.fingerprint.FingerprintConfig} and
 * {@link io.spinledger.engine.fingerprint.MatchThresholds}. Format and life cycle: {@code docs/fingerprint-index.md};
 * benchmark: {@code spinledger bench} in the {@code cli} module.
 */
package io.spinledger.engine.fingerprint;
