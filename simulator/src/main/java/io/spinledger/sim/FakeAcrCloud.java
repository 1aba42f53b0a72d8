package io.spinledger.sim;

import io.spinledger.ports.ManualClock;
import io.spinledger.external.ExternalServiceException;
import io.spinledger.external.TransientExternalException;
import io.spinledger.external.acrcloud.AcrResult;
import io.spinledger.ports.AudioIdentifier;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * ACRCloud as the simulation sees it: answers from the broadcast's truth (music only ACRCloud knows is
 * identified, a catalog chunk the local matcher missed sometimes too, talk and unknown music give status 1001),
 * fails transiently or answers an unreadable body at the profile's rates, and counts every answered (billed)
 * call per chunk and per day for the invariants.
 */
public final class FakeAcrCloud implements AudioIdentifier {
    private final Broadcast broadcast;
    private final ManualClock clock;
    private final Faults faults;
    private final RandomGenerator random;
    private final Profile profile;
    private final Map<String, String> chunkOfWav = new HashMap<>();
    private final Map<String, Integer> answeredPerChunk = new TreeMap<>();
    private final Map<LocalDate, Integer> answeredPerDay = new TreeMap<>();
    private final Map<String, Broadcast.ChunkOutcome> outcomes = new HashMap<>();

    /**
     * @param broadcast the truth
     * @param clock     simulated time
     * @param faults    fault points
     * @param random    the run's generator
     * @param profile   failure rates
     */
    public FakeAcrCloud(Broadcast broadcast, ManualClock clock, Faults faults, RandomGenerator random, Profile profile) {
        this.broadcast = broadcast;
        this.clock = clock;
        this.faults = faults;
        this.random = random;
        this.profile = profile;
        for (Broadcast.ChunkOutcome o : broadcast.outcomes()) {
            outcomes.put(o.chunk().chunkId(), o);
        }
    }

    /** Tells the fake which chunk a WAV is (the simulation writes one distinct WAV per chunk). */
    public void register(byte[] wav, String chunkId) {
        chunkOfWav.put(Base64.getEncoder().encodeToString(wav), chunkId);
    }

    @Override
    public boolean active() {
        return true;
    }

    @Override
    public AcrResult identifyWav(byte[] wav) {
        String chunkId = chunkOfWav.get(Base64.getEncoder().encodeToString(wav));
        if (chunkId == null) {
            throw new IllegalStateException("the simulated ACRCloud got audio of no known chunk");
        }
        faults.point("before ACRCloud identify " + chunkId);
        double r = random.nextDouble();
        if (r < profile.acrFailureRate()) {
            throw new TransientExternalException("ACRCloud", "simulated timeout", null);
        }
        if (r < profile.acrFailureRate() + profile.acrGarbageRate()) {
            answered(chunkId);
            throw new ExternalServiceException("ACRCloud", 200, "simulated unreadable body", null);
        }
        answered(chunkId);
        AcrResult result = answer(outcomes.get(chunkId));
        faults.point("after ACRCloud answered " + chunkId);
        return result;
    }

    private void answered(String chunkId) {
        answeredPerChunk.merge(chunkId, 1, Integer::sum);
        answeredPerDay.merge(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC), 1, Integer::sum);
    }

    private AcrResult answer(Broadcast.ChunkOutcome o) {
        Broadcast.Segment g = o.dominant();
        boolean knows = g != null && (g.kind() == Broadcast.Kind.ACR_ONLY
                || (g.kind() == Broadcast.Kind.CATALOG && random.nextDouble() < 0.5));
        if (!knows) {
            return new AcrResult(AcrResult.Outcome.NO_RESULT, 1001, "No result", List.of());
        }
        String acrid = g.kind() == Broadcast.Kind.ACR_ONLY ? g.trackId() : "cat-" + g.trackId();
        long chunkStart = o.chunk().startedAt().toEpochMilli();
        long begin = Math.max(0, g.startMs() - chunkStart);
        long end = Math.min(o.chunk().durationMs(), g.endMs() - chunkStart);
        long playOffset = chunkStart + end - g.startMs() + g.trackStartMs();
        // a catalog recording is known to ACRCloud too, with its ISRC and length (its own id is another name)
        Broadcast.Track known = g.kind() == Broadcast.Kind.CATALOG ? broadcast.catalog().get(g.trackId()) : null;
        return new AcrResult(AcrResult.Outcome.MATCH, 0, "Success", List.of(new AcrResult.AcrMatch(acrid,
                "ACR " + acrid, List.of("ACR Artist"), null, "ACR Label", known == null ? null : known.meta().isrc(),
                null, 80 + random.nextInt(21), playOffset, begin, end,
                known == null ? 240_000L : known.durationMs())));
    }

    /** Answered calls per chunk id. */
    public Map<String, Integer> answeredPerChunk() {
        return answeredPerChunk;
    }

    /** Answered calls per UTC day. */
    public Map<LocalDate, Integer> answeredPerDay() {
        return answeredPerDay;
    }

    /** Now, for reports. */
    Instant now() {
        return clock.instant();
    }
}
