package io.spinledger.stage.posting;

import io.spinledger.config.Settings;
import io.spinledger.json.Json;
import io.spinledger.stage.rights.ReciprocalAgreements;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One version of the royalty rules, as data: per-second and per-play tariffs by station class, dayparts with
 * multipliers, the minimum paid duration, the optional feature-performance test, and how money is split
 * (neighbouring rights, society administration fees, suspense). Immutable; a version, once used for
 * postings, never changes meaning: new rules get a new version and a new effective period (see
 * {@link RuleBook}). Bundled versions live in {@code shared/src/main/resources/ratecards/*.json}, one file
 * per version, shaped like this record.
 *
 * <p>Amount of a play (see {@link RoyaltyCalculator#rate}): {@code sum over its rated spans of
 * seconds[span] x ratePerSecond[class] x multiplier[class][span's daypart], + perPlay[class]} (once), times
 * {@code feature.nonFeatureFactor} when the feature test applies and fails, rounded once, HALF_EVEN, to the
 * currency's minor unit. Which spans ({@link #ratedSpans}) is the card's {@link DaypartRating}, part of the
 * version's meaning: {@link DaypartRating#START} (the default, every version up to {@code gh-2026.2}) rates the
 * whole play at the daypart of its start; {@link DaypartRating#PRO_RATA} (from {@code gh-2027.1}) rates its
 * seconds in each daypart ({@link #daypartSplit}, real elapsed time in the station's time zone). Either way a
 * play inside one daypart is {@code seconds x rate x multiplier + perPlay}.
 *
 * @param ruleVersion       version tag, part of every posting's idempotency key (e.g. {@code gh-2026.2})
 * @param currency          ISO 4217 code of every amount (e.g. {@code GHS})
 * @param ratePerSecond     station class (A, B, C, ONLINE, COMMUNITY; case-insensitive) -> rate per second of
 *                          airplay, major units (e.g. 0.015 GHS); its keys are the card's station classes
 * @param minPaidDurationMs plays shorter than this are not paid, ms
 * @param effectiveFrom     first instant (inclusive) the version applies to a play's start; null = always
 * @param effectiveTo       end (exclusive) of the period; null = open-ended
 * @param perPlay           station class -> fixed tariff per paid play, major units; missing = 0
 * @param dayparts          named windows of local time in the station's time zone ({@code from} inclusive,
 *                          {@code to} exclusive, {@code 00:00} as {@code to} means midnight); a time in no
 *                          window is {@link #REGULAR}
 * @param multipliers       station class -> daypart name -> multiplier of the per-second rate; missing = 1
 * @param daypartRating     how a play that crosses a daypart boundary is rated; null (absent from the JSON) =
 *                          {@link DaypartRating#START}
 * @param feature           the feature-performance test, or null when every paid play counts in full
 * @param neighbouring      neighbouring-rights share of each play, or null when the rules cover performing
 *                          rights only
 * @param fees              society administration fees and reciprocal routing, or null for none
 * @param suspenseHoldYears how long money nobody can claim yet is held in suspense, years (>= 0)
 * @param description       what the version is and where its numbers come from
 */
public record RateCard(String ruleVersion, String currency, Map<String, BigDecimal> ratePerSecond,
                       long minPaidDurationMs, Instant effectiveFrom, Instant effectiveTo,
                       Map<String, BigDecimal> perPlay, List<Daypart> dayparts,
                       Map<String, Map<String, BigDecimal>> multipliers, DaypartRating daypartRating,
                       FeatureRule feature, NeighbouringRule neighbouring, FeeRule fees, int suspenseHoldYears,
                       String description) {
    /** Daypart name for a local time that is in no declared window. */
    public static final String REGULAR = "REGULAR";
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final long NANOS_PER_DAY = 86_400_000_000_000L;

    /**
     * How a card rates a play that crosses a daypart boundary. Part of a version's meaning (a version used for
     * postings keeps its method), so a new method takes a new version.
     */
    public enum DaypartRating {
        /**
         * The whole play at the multiplier of the daypart of its start, in the station's time zone (the meaning of
         * every version up to {@code gh-2026.2}; the default when a card does not say).
         */
        START,
        /**
         * Each daypart's seconds of the play at that daypart's multiplier ({@link #daypartSplit}), the per-play
         * tariff once, the sum rounded once (from {@code gh-2027.1}).
         */
        PRO_RATA
    }

    /**
     * A named window of local time.
     *
     * @param name daypart name, e.g. PRIME, OFF_PEAK
     * @param from first local time (inclusive)
     * @param to   end (exclusive); {@code 00:00} means midnight at the end of the day
     */
    public record Daypart(String name, LocalTime from, LocalTime to) {
        /** @throws IllegalArgumentException for a blank name, a missing bound or an empty window */
        public Daypart {
            if (name == null || name.isBlank() || from == null || to == null) {
                throw new IllegalArgumentException("daypart needs name, from and to");
            }
            name = name.toUpperCase(Locale.ROOT);
            if (!to.equals(LocalTime.MIDNIGHT) && !from.isBefore(to)) {
                throw new IllegalArgumentException("daypart " + name + " must have from < to");
            }
        }

        /** Whether a local time falls in this window. */
        public boolean contains(LocalTime t) {
            return !t.isBefore(from) && (to.equals(LocalTime.MIDNIGHT) || t.isBefore(to));
        }
    }

    /**
     * The feature-performance test (BMI: at least 60 s and the sole sound broadcast).
     *
     * @param minDurationMs           shortest play that can be a feature performance, ms (e.g. 60 000)
     * @param minSoleSoundConfidence  sole-sound proxy: a play whose best detection confidence is below this
     *                                is taken as talked over (speech over music lowers the share of matching
     *                                fingerprints); 0 disables the proxy. Callers that know better pass
     *                                {@code soleSound} explicitly to {@link RoyaltyCalculator#rate}.
     * @param nonFeatureFactor        what a paid play that fails the test earns, as a factor of its amount
     *                                (0 = not paid, 0.5 = half)
     */
    public record FeatureRule(long minDurationMs, double minSoleSoundConfidence, BigDecimal nonFeatureFactor) {
        /** @throws IllegalArgumentException for a negative duration or a factor outside [0, 1] */
        public FeatureRule {
            if (minDurationMs < 0 || nonFeatureFactor == null || nonFeatureFactor.signum() < 0
                    || nonFeatureFactor.compareTo(BigDecimal.ONE) > 0) {
                throw new IllegalArgumentException("feature rule needs minDurationMs >= 0 and a factor in [0, 1]");
            }
        }
    }

    /**
     * Neighbouring rights (sound recording): the part of each play's amount that goes to the recording's label
     * and performers instead of the work's writers and publishers (PPL: 50/50 label/performers).
     *
     * @param sharePercent      percent of the play's amount that is neighbouring rights (0-100)
     * @param labelPercent      percent of that part for the label (account {@code label:<label>})
     * @param performersPercent percent of that part for the performers, split equally among the recording's
     *                          artists (accounts {@code performer:<artist>}); label + performers = 100
     */
    public record NeighbouringRule(BigDecimal sharePercent, BigDecimal labelPercent, BigDecimal performersPercent) {
        /** @throws IllegalArgumentException when a percent is out of range or label + performers is not 100 */
        public NeighbouringRule {
            if (!percent(sharePercent) || !percent(labelPercent) || !percent(performersPercent)
                    || labelPercent.add(performersPercent).compareTo(HUNDRED) != 0) {
                throw new IllegalArgumentException("neighbouring rule needs percents in [0, 100] and "
                        + "label + performers = 100");
            }
        }
    }

    /**
     * Administration fees and reciprocal routing. The home society collects in the station's territory: on
     * its own members' shares it keeps {@code localAdminFeePercent}; shares of foreign societies reach them
     * through reciprocal agreements after {@code foreignAdminFeePercent}. Fees go to {@code fees:<home code>}.
     *
     * @param homeSociety            CISAC code of the collecting society (e.g. 285 GHAMRO)
     * @param localSocieties         codes that count as local besides the home society (may be empty)
     * @param localAdminFeePercent   fee on local shares, percent (default 10)
     * @param foreignAdminFeePercent fee on foreign shares, percent (default 15)
     */
    public record FeeRule(String homeSociety, List<String> localSocieties, BigDecimal localAdminFeePercent,
                          BigDecimal foreignAdminFeePercent) {
        /** @throws IllegalArgumentException for a missing home society or a fee outside [0, 100] */
        public FeeRule {
            if (homeSociety == null || homeSociety.isBlank()) {
                throw new IllegalArgumentException("fee rule needs a home society");
            }
            homeSociety = homeSociety.trim();
            localSocieties = localSocieties == null ? List.of() : List.copyOf(localSocieties);
            localAdminFeePercent = localAdminFeePercent == null ? BigDecimal.TEN : localAdminFeePercent;
            foreignAdminFeePercent = foreignAdminFeePercent == null ? new BigDecimal("15") : foreignAdminFeePercent;
            if (!percent(localAdminFeePercent) || !percent(foreignAdminFeePercent)) {
                throw new IllegalArgumentException("admin fees must be percents in [0, 100]");
            }
        }

        /** Whether a society code is local (home or listed). */
        public boolean isLocal(String code) {
            return code.equals(homeSociety) || localSocieties.contains(code);
        }

        /** The fee percent on a society's share with no agreement terms (local or default foreign fee). */
        public BigDecimal feePercentFor(String code) {
            return isLocal(code) ? localAdminFeePercent : foreignAdminFeePercent;
        }

        /**
         * Who collects a society's share under these rules and the agreements in force at {@code at}, and the fee
         * it keeps: the home society collects; local shares pay the local fee, foreign shares the agreement's fee
         * or, without one, the default foreign fee (see {@link ReciprocalAgreements#route}).
         */
        public ReciprocalAgreements.Routing route(String code, ReciprocalAgreements agreements, Instant at) {
            return agreements.route(homeSociety, localSocieties, localAdminFeePercent, foreignAdminFeePercent, code, at);
        }
    }

    /**
     * @throws IllegalArgumentException for a blank rule version, an unknown currency, a negative rate, tariff,
     *                                  multiplier or duration, or an empty effective period
     */
    public RateCard {
        if (ruleVersion == null || ruleVersion.isBlank()) {
            throw new IllegalArgumentException("ruleVersion is required");
        }
        Currency.getInstance(currency); // throws IllegalArgumentException for unknown codes
        ratePerSecond = upperKeys(ratePerSecond, "rate");
        perPlay = upperKeys(perPlay == null ? Map.of() : perPlay, "per-play tariff");
        TreeMap<String, Map<String, BigDecimal>> mult = new TreeMap<>();
        if (multipliers != null) {
            multipliers.forEach((cls, byPart) -> mult.put(cls.toUpperCase(Locale.ROOT),
                    upperKeys(byPart, "multiplier of class " + cls)));
        }
        multipliers = Map.copyOf(mult);
        dayparts = dayparts == null ? List.of() : List.copyOf(dayparts);
        daypartRating = daypartRating == null ? DaypartRating.START : daypartRating;
        if (minPaidDurationMs < 0) {
            throw new IllegalArgumentException("minPaidDurationMs must be >= 0");
        }
        if (effectiveFrom != null && effectiveTo != null && !effectiveFrom.isBefore(effectiveTo)) {
            throw new IllegalArgumentException("rate card " + ruleVersion + ": effectiveFrom must be before effectiveTo");
        }
        if (suspenseHoldYears < 0) {
            throw new IllegalArgumentException("suspenseHoldYears must be >= 0");
        }
        description = description == null ? "" : description;
    }

    /**
     * A card that rates a play crossing a daypart boundary by the daypart of its start
     * ({@link DaypartRating#START}); the other parameters as in the canonical constructor.
     */
    public RateCard(String ruleVersion, String currency, Map<String, BigDecimal> ratePerSecond,
                    long minPaidDurationMs, Instant effectiveFrom, Instant effectiveTo,
                    Map<String, BigDecimal> perPlay, List<Daypart> dayparts,
                    Map<String, Map<String, BigDecimal>> multipliers, FeatureRule feature,
                    NeighbouringRule neighbouring, FeeRule fees, int suspenseHoldYears, String description) {
        this(ruleVersion, currency, ratePerSecond, minPaidDurationMs, effectiveFrom, effectiveTo, perPlay, dayparts,
                multipliers, DaypartRating.START, feature, neighbouring, fees, suspenseHoldYears, description);
    }

    /**
     * A flat card: per-second rates and a minimum duration only, applying at all times, no dayparts, fees or
     * neighbouring rights (the shape of rule version {@code gh-2026.1}).
     */
    public RateCard(String ruleVersion, String currency, Map<String, BigDecimal> ratePerSecond,
                    long minPaidDurationMs) {
        this(ruleVersion, currency, ratePerSecond, minPaidDurationMs, null, null, Map.of(), List.of(), Map.of(),
                DaypartRating.START, null, null, null, 5, "flat per-second rates");
    }

    /**
     * Ghana default, rule version {@code gh-2026.1} (GHAMRO-style placeholder rates, GHS per second): A 0.015,
     * B 0.012, C 0.008, ONLINE 0.010, COMMUNITY 0.005; plays under 30 s are not paid; no dayparts or fees.
     * The bundled {@code ratecards/gh-2026.1.json} holds the same rates with its effective period.
     */
    public static RateCard ghanaDefault() {
        return new RateCard("gh-2026.1", "GHS", Map.of("A", new BigDecimal("0.015"), "B", new BigDecimal("0.012"),
                "C", new BigDecimal("0.008"), "ONLINE", new BigDecimal("0.010"),
                "COMMUNITY", new BigDecimal("0.005")), 30_000);
    }

    /** The flat rate card the settings describe (currency, rates, minimum duration, rule version). */
    public static RateCard from(Settings.Royalty royalty) {
        return new RateCard(royalty.ruleVersion(), royalty.defaultCurrency(), royalty.ratePerSecond(),
                royalty.minPaidDurationMs());
    }

    /**
     * Reads one version from JSON shaped like this record (times as {@code "06:00"}, instants ISO-8601,
     * decimals as strings or numbers, {@code daypartRating} as {@code "START"} or {@code "PRO_RATA"}, absent =
     * START).
     *
     * @throws IllegalArgumentException when the JSON is malformed or the rules are invalid
     */
    public static RateCard read(InputStream json) {
        try {
            return Json.MAPPER.readValue(json, RateCard.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a valid rate card: " + e.getMessage(), e);
        }
    }

    /**
     * Rate per second for a station class, major units of {@link #currency()}.
     *
     * @throws IllegalArgumentException when the class has no rate
     */
    public BigDecimal rateFor(String stationClass) {
        BigDecimal rate = stationClass == null ? null : ratePerSecond.get(stationClass.toUpperCase(Locale.ROOT));
        if (rate == null) {
            throw new IllegalArgumentException("rate card " + ruleVersion + " has no rate for station class "
                    + stationClass + " (known: " + ratePerSecond.keySet() + ")");
        }
        return rate;
    }

    /** Fixed tariff per paid play for a class, major units (0 when none). */
    public BigDecimal perPlayFor(String stationClass) {
        return stationClass == null ? BigDecimal.ZERO
                : perPlay.getOrDefault(stationClass.toUpperCase(Locale.ROOT), BigDecimal.ZERO);
    }

    /**
     * The daypart of an instant in a time zone: the first declared window containing the local time, else
     * {@link #REGULAR}.
     *
     * @param at       the instant (a play's start)
     * @param timezone IANA zone id of the station; null or invalid = UTC
     */
    public String daypartAt(Instant at, String timezone) {
        return daypartAt(at, zone(timezone));
    }

    private String daypartAt(Instant at, ZoneId zone) {
        LocalTime local = ZonedDateTime.ofInstant(at, zone).toLocalTime();
        for (Daypart d : dayparts) {
            if (d.contains(local)) {
                return d.name();
            }
        }
        return REGULAR;
    }

    /**
     * Airplay in one daypart.
     *
     * @param daypart    daypart name ({@link #REGULAR} outside every window)
     * @param durationMs milliseconds of the play in it (>= 0)
     */
    public record DaypartSpan(String daypart, long durationMs) {
    }

    /**
     * How a stretch of airplay splits over the dayparts, by real elapsed time in the station's time zone: a play
     * that crosses midnight or a daylight-saving change is cut where its local time crosses a window's
     * {@code from}/{@code to}, and the hour a clock skips has no airplay while the hour it repeats has twice its
     * length (e.g. America/Santiago, 2026-09-06: 23:58 local + 240 s is 120 s before midnight and 120 s from
     * 01:00, since 00:00-01:00 is skipped).
     *
     * @param start      the play's start
     * @param durationMs the play's airplay, ms (>= 0)
     * @param timezone   IANA zone id of the station; null or invalid = UTC
     * @return one span per daypart the play is in, in the order the play reaches them (windows of one name
     *         merged), the first being {@link #daypartAt} the start; the durations add up to {@code durationMs}
     *         exactly (cut points truncated to the millisecond after the start). A play inside one daypart
     *         (ending at a window's end included, {@code to} is exclusive) has one span.
     * @throws IllegalArgumentException for a negative duration
     */
    public List<DaypartSpan> daypartSplit(Instant start, long durationMs, String timezone) {
        if (durationMs < 0) {
            throw new IllegalArgumentException("durationMs must be >= 0");
        }
        ZoneId zone = zone(timezone);
        Instant end = start.plusMillis(durationMs);
        Map<String, Long> msByPart = new LinkedHashMap<>();
        long doneMs = 0;
        Instant at = start;
        while (true) {
            String part = daypartAt(at, zone);
            Instant cut = nextCut(at, zone);
            boolean last = !cut.isBefore(end);
            long upToMs = last ? durationMs : Duration.between(start, cut).toMillis();
            msByPart.merge(part, upToMs - doneMs, Long::sum);
            if (last) {
                break;
            }
            doneMs = upToMs;
            at = cut;
        }
        List<DaypartSpan> out = new ArrayList<>(msByPart.size());
        msByPart.forEach((part, ms) -> out.add(new DaypartSpan(part, ms)));
        return out;
    }

    /**
     * The spans a play is rated by under this card's {@link #daypartRating}: for {@link DaypartRating#START} one
     * span, the whole play in the daypart of its start ({@link #daypartAt}); for {@link DaypartRating#PRO_RATA}
     * its {@link #daypartSplit}. The first span is always the start's daypart; the durations add up to
     * {@code durationMs}.
     *
     * @param start      the play's start
     * @param durationMs the play's airplay, ms (>= 0)
     * @param timezone   IANA zone id of the station; null or invalid = UTC
     * @throws IllegalArgumentException for a negative duration
     */
    public List<DaypartSpan> ratedSpans(Instant start, long durationMs, String timezone) {
        if (daypartRating == DaypartRating.PRO_RATA) {
            return daypartSplit(start, durationMs, timezone);
        }
        if (durationMs < 0) {
            throw new IllegalArgumentException("durationMs must be >= 0");
        }
        return List.of(new DaypartSpan(daypartAt(start, timezone), durationMs));
    }

    /**
     * The first instant after {@code at} where the daypart may change: the local time reaching a window bound,
     * or the zone's next offset change, whichever comes first. Up to that offset change local time runs with
     * real time, so the bound is {@code at} plus the local time still to go.
     */
    private Instant nextCut(Instant at, ZoneId zone) {
        long now = ZonedDateTime.ofInstant(at, zone).toLocalTime().toNanoOfDay();
        long step = NANOS_PER_DAY;
        for (Daypart d : dayparts) {
            for (LocalTime bound : List.of(d.from(), d.to())) {
                long ahead = Math.floorMod(bound.toNanoOfDay() - now, NANOS_PER_DAY);
                step = Math.min(step, ahead == 0 ? NANOS_PER_DAY : ahead);
            }
        }
        Instant cut = at.plusNanos(step);
        ZoneOffsetTransition change = zone.getRules().nextTransition(at);
        return change != null && change.getInstant().isBefore(cut) ? change.getInstant() : cut;
    }

    /** The multiplier of a class in a daypart (1 when the card declares none). */
    public BigDecimal multiplierFor(String stationClass, String daypart) {
        Map<String, BigDecimal> byPart = stationClass == null ? null
                : multipliers.get(stationClass.toUpperCase(Locale.ROOT));
        return byPart == null ? BigDecimal.ONE : byPart.getOrDefault(daypart, BigDecimal.ONE);
    }

    /** Whether the version applies to a play that started at {@code at}. */
    public boolean appliesAt(Instant at) {
        return (effectiveFrom == null || !at.isBefore(effectiveFrom)) && (effectiveTo == null || at.isBefore(effectiveTo));
    }

    /** Until when money credited to suspense at {@code postedAt} is held (postedAt + suspenseHoldYears, UTC). */
    public Instant suspenseHeldUntil(Instant postedAt) {
        return postedAt.atZone(ZoneOffset.UTC).plusYears(suspenseHoldYears).toInstant();
    }

    /** Digits of the currency's minor unit (2 for GHS: 1 cedi = 100 pesewas). */
    public int minorDigits() {
        return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
    }

    static ZoneId zone(String timezone) {
        try {
            return timezone == null || timezone.isBlank() ? ZoneOffset.UTC : ZoneId.of(timezone);
        } catch (java.time.DateTimeException e) {
            return ZoneOffset.UTC;
        }
    }

    private static boolean percent(BigDecimal p) {
        return p != null && p.signum() >= 0 && p.compareTo(HUNDRED) <= 0;
    }

    private static Map<String, BigDecimal> upperKeys(Map<String, BigDecimal> in, String what) {
        TreeMap<String, BigDecimal> out = new TreeMap<>();
        in.forEach((k, v) -> {
            if (v == null || v.signum() < 0) {
                throw new IllegalArgumentException(what + " for " + k + " must be >= 0");
            }
            out.put(k.toUpperCase(Locale.ROOT), v);
        });
        return Map.copyOf(out);
    }

    /** Loads a bundled version's resource, for {@link RuleBook}. */
    static RateCard resource(String path) {
        try (InputStream in = RateCard.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing rate card resource " + path);
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
