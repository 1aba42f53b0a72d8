package io.spinledger.sim;

/**
 * How hard a simulation run is: what the broadcasts hold, how noisy the matcher is, and how often the
 * infrastructure fails. {@link #standard()} is what CI runs; {@link #hard()} adds the matcher noise that splits
 * airings (long runs of missed chunks, repeated sections matched at the wrong offset for many chunks in a row),
 * which the plays issue is about.
 *
 * @param minStations        fewest stations
 * @param maxStations        most stations
 * @param minMinutes         shortest broadcast, minutes
 * @param maxMinutes         longest broadcast, minutes
 * @param missRate           probability that a chunk of a catalog airing gets no local detection
 * @param maxMissRun         most consecutive missed chunks of one airing (0 = unbounded)
 * @param wrongOffsetRate    probability that a detected chunk is matched in a repeated section (wrong offset)
 * @param wrongOffsetRun     chunks in a row that one wrong-offset episode lasts
 * @param falseRate          probability that a talk chunk yields a short false detection
 * @param duplicateRate      probability that a queue delivers a message twice
 * @param crashRate          probability that one fault point crashes the process (while armed)
 * @param acrFailureRate     probability that an ACRCloud call fails transiently (timeout, 5xx)
 * @param acrGarbageRate     probability that ACRCloud answers an unreadable body
 * @param acrDailyBudget     ACRCloud calls allowed per day
 * @param acrPerMinute       ACRCloud calls allowed per minute
 */
public record Profile(int minStations, int maxStations, int minMinutes, int maxMinutes, double missRate,
                      int maxMissRun, double wrongOffsetRate, int wrongOffsetRun, double falseRate,
                      double duplicateRate, double crashRate, double acrFailureRate, double acrGarbageRate,
                      int acrDailyBudget, int acrPerMinute) {

    /** What CI runs: every infrastructure fault, matcher noise the station timeline must absorb. */
    public static Profile standard() {
        return new Profile(1, 2, 5, 15, 0.10, 3, 0.04, 1, 0.02, 0.05, 0.02, 0.05, 0.02, 60, 6);
    }

    /** {@link #standard()} plus long gaps and repeated sections matched for many chunks. */
    public static Profile hard() {
        return new Profile(1, 2, 5, 15, 0.15, 0, 0.08, 5, 0.03, 0.05, 0.02, 0.05, 0.02, 60, 6);
    }

    /** No faults and no noise: the pipeline's happy path under a seed. */
    public static Profile calm() {
        return new Profile(1, 2, 5, 15, 0, 0, 0, 1, 0, 0, 0, 0, 0, 10_000, 1_000);
    }

    /**
     * Whether nothing goes wrong in this profile (no matcher noise, no faults, budget to spare): then every airing
     * long enough to be paid must be paid, exactly once.
     */
    public boolean noiseless() {
        return missRate == 0 && wrongOffsetRate == 0 && falseRate == 0 && duplicateRate == 0 && crashRate == 0
                && acrFailureRate == 0 && acrGarbageRate == 0;
    }

    /** A profile by name: standard, hard or calm. */
    public static Profile named(String name) {
        return switch (name) {
            case "standard" -> standard();
            case "hard" -> hard();
            case "calm" -> calm();
            default -> throw new IllegalArgumentException("unknown profile '" + name
                    + "' (use standard, hard or calm)");
        };
    }
}
