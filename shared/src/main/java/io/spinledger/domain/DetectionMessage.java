package io.spinledger.domain;

/**
 * What flows through the detection, enriched and mapped queues: a detection and what the later stages
 * have added to it. Each stage fills its part and passes the message on.
 *
 * @param detection  the detection
 * @param recording  recording/work metadata (null before isrc-enrichment)
 * @param proMapping society shares (null before pro-mapping)
 */
public record DetectionMessage(Detection detection, Recording recording, ProMapping proMapping) {
    /** Returns a copy with the recording set. */
    public DetectionMessage withRecording(Recording r) {
        return new DetectionMessage(detection, r, proMapping);
    }

    /** Returns a copy with the PRO mapping set. */
    public DetectionMessage withProMapping(ProMapping m) {
        return new DetectionMessage(detection, recording, m);
    }
}
