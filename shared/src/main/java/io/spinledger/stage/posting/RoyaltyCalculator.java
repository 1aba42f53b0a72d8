package io.spinledger.stage.posting;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.spinledger.domain.LedgerEntry;
import io.spinledger.domain.LedgerTransaction;
import io.spinledger.domain.Play;
import io.spinledger.domain.ProMapping;
import io.spinledger.domain.Recording;
import io.spinledger.domain.SocietyShare;
import io.spinledger.domain.Station;
import io.spinledger.ledger.Ledger;
import io.spinledger.stage.rights.ReciprocalAgreements;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns a closed play into a balanced ledger transaction under the rule version effective at the play's start
 * ({@link RuleBook#forInstant}). Pure: the same play, station and rules always give the same transaction, so a
 * closed period recomputes to the same numbers.
 *
 * <p>Amount ({@link #rate}): the sum over the play's rated spans ({@link RateCard#ratedSpans}) of their seconds
 * (ms precision) x the class's per-second rate x the span's daypart multiplier, + the class's per-play tariff
 * (once per play), times the feature factor when the card has a feature-performance test and the play fails it;
 * rounded once, at the end, HALF_EVEN, to the currency's minor unit
 * ({@link java.util.Currency#getDefaultFractionDigits()}). The spans are the card's
 * {@link RateCard#daypartRating}: under {@link RateCard.DaypartRating#START} (every version up to
 * {@code gh-2026.2}) one span, the whole play at the daypart of its start in the station's time zone; under
 * {@link RateCard.DaypartRating#PRO_RATA} (from {@code gh-2027.1}) its seconds in each daypart it overlaps
 * ({@link RateCard#daypartSplit}: real elapsed seconds, so midnight and daylight-saving changes count what was
 * aired). The minimum paid duration and the feature test look at the whole play, and the rule version in force at
 * its start rates all of it. A play inside one daypart is simply seconds x rate x multiplier + tariff (x factor)
 * under either method.
 *
 * <p>Split ({@link #splitLines}): the neighbouring-rights part (if the card has one) to {@code label:<label>} and
 * {@code performer:<artist>} (equal parts); the rest over the play's society shares, each share's admin fee (local
 * or foreign, if the card has fees; a foreign share's fee comes from the reciprocal agreement in force, see
 * {@link RateCard.FeeRule#route}) to {@code fees:<home society>} and the net to {@code society:<code>}; shares
 * without a society (blank or {@code 000}), the part of the mapping under 100 %, a missing label or artist, or
 * the whole amount when the mapping is missing or invalid (a missing/negative share, over 100 %) go to
 * {@link #SUSPENSE}. All lines are allocated together by the largest-remainder method ({@link Allocation}), so
 * they add up to the amount exactly: no minor unit is created or lost.
 *
 * <p>Entries: debit {@code station:<stationId>} (+amount), credits (negative) as above, summing to zero.
 */
public final class RoyaltyCalculator {
    /** Account for money whose rights holder is not known yet (held {@link RateCard#suspenseHoldYears()}). */
    public static final String SUSPENSE = "suspense";
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final RuleBook rules;
    private final ReciprocalAgreements agreements;

    /** A calculator that applies one rate card to every play (whatever its effective period), no agreements. */
    public RoyaltyCalculator(RateCard rateCard) {
        this(RuleBook.single(rateCard));
    }

    /** A calculator that picks the version effective at each play's start, no agreements on file. */
    public RoyaltyCalculator(RuleBook rules) {
        this(rules, ReciprocalAgreements.none());
    }

    /**
     * A calculator that picks the version effective at each play's start and routes foreign shares through the
     * reciprocal agreements in force at the play's start (their fees override the card's default foreign fee).
     */
    public RoyaltyCalculator(RuleBook rules, ReciprocalAgreements agreements) {
        this.rules = rules;
        this.agreements = agreements;
    }

    /** The reciprocal agreements applied. */
    public ReciprocalAgreements agreements() {
        return agreements;
    }

    /** The newest rate card of the rules (the only one for a single-card calculator). */
    public RateCard rateCard() {
        return rules.versions().get(rules.versions().size() - 1);
    }

    /** The rules applied. */
    public RuleBook rules() {
        return rules;
    }

    /** Ledger account of a station: {@code station:<stationId>}. */
    public static String stationAccount(String stationId) {
        return "station:" + stationId;
    }

    /** Ledger account of a society: {@code society:<CISAC code>}. */
    public static String societyAccount(String societyCode) {
        return "society:" + societyCode.trim();
    }

    /** Ledger account of the admin fees a collecting society keeps: {@code fees:<CISAC code>}. */
    public static String feeAccount(String societyCode) {
        return "fees:" + societyCode.trim();
    }

    /** Ledger account of a label's neighbouring rights: {@code label:<name>}. */
    public static String labelAccount(String label) {
        return "label:" + label.trim();
    }

    /** Ledger account of a performer's neighbouring rights: {@code performer:<name>}. */
    public static String performerAccount(String performer) {
        return "performer:" + performer.trim();
    }

    /** Posting idempotency key: {@code <playId>#<ruleVersion>}. */
    public static String idempotencyKey(String playId, String ruleVersion) {
        return playId + "#" + ruleVersion;
    }

    /**
     * Royalty for an airing under the newest card's flat per-second rate (no daypart, tariff or feature test),
     * in minor units (e.g. 200 000 ms on class A at 0.015 GHS/s = 300 pesewas).
     *
     * @throws IllegalArgumentException when the class has no rate or the duration is negative
     */
    public long amountMinor(long durationMs, String stationClass) {
        if (durationMs < 0) {
            throw new IllegalArgumentException("durationMs must be >= 0");
        }
        RateCard card = rateCard();
        BigDecimal major = BigDecimal.valueOf(durationMs, 3).multiply(card.rateFor(stationClass));
        return major.setScale(card.minorDigits(), RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
    }

    /**
     * How a play was rated: every number behind its amount.
     *
     * @param ruleVersion        the version applied
     * @param currency           ISO 4217
     * @param stationClass       the station's class
     * @param daypart            daypart of the play's start in the station's time zone
     * @param durationMs         airplay, ms
     * @param ratePerSecond      per-second rate, major units
     * @param multiplier         multiplier of the start's daypart (the only one applied unless
     *                           {@code daypartSplit} has parts)
     * @param daypartSplit       when the card rates {@link RateCard.DaypartRating#PRO_RATA} and the play crosses a
     *                           daypart boundary: its seconds in each daypart, in the order aired, each with the
     *                           multiplier applied to them (ms adding up to {@code durationMs}); empty (and left
     *                           out of JSON) for a play inside one daypart or under a
     *                           {@link RateCard.DaypartRating#START} card
     * @param perPlay            per-play tariff, major units
     * @param featurePerformance true when the card has no feature test or the play passed it
     * @param factor             1, or the card's non-feature factor
     * @param amountMinor        the rounded amount, minor units
     * @param paid               whether the play is paid (long enough and amount > 0)
     * @param explanation        one line, e.g. {@code 200.000 s x 0.015 GHS/s x 1.5 (PRIME) = 450 minor units}, or
     *                           for a play crossing dayparts {@code 180.000 s split by daypart: (PRIME 42.000 s x 1.5
     *                           + OFF_PEAK 138.000 s x 0.7) x 0.015 GHS/s = 239 minor units}
     */
    public record Rating(String ruleVersion, String currency, String stationClass, String daypart, long durationMs,
                         BigDecimal ratePerSecond, BigDecimal multiplier,
                         @JsonInclude(JsonInclude.Include.NON_EMPTY) List<DaypartPart> daypartSplit,
                         BigDecimal perPlay, boolean featurePerformance, BigDecimal factor, long amountMinor,
                         boolean paid, String explanation) {
        /** Copies the split (null = empty). */
        public Rating {
            daypartSplit = daypartSplit == null ? List.of() : List.copyOf(daypartSplit);
        }
    }

    /**
     * The part of a play in one daypart.
     *
     * @param daypart    daypart name
     * @param durationMs the play's airplay in it, ms
     * @param multiplier the class's multiplier of the per-second rate in it
     */
    public record DaypartPart(String daypart, long durationMs, BigDecimal multiplier) {
    }

    /**
     * Rates a play with the sole-sound proxy of the card's feature test (see {@link RateCard.FeatureRule}).
     *
     * @throws IllegalArgumentException when no version covers the play's start or the class has no rate
     */
    public Rating rate(Play play, Station station) {
        return rate(play, station, null);
    }

    /**
     * Rates a play: its rated spans ({@link RateCard#ratedSpans}: the whole play at its start's daypart, or, on a
     * {@link RateCard.DaypartRating#PRO_RATA} card, its seconds in each daypart, station's time zone) times the
     * rate and the span's daypart multiplier, summed, plus the per-play tariff once, times the feature factor;
     * rounded once at the end (see the class comment).
     *
     * @param soleSound whether the music was the sole sound (no talk-over); null = use the card's proxy
     * @throws IllegalArgumentException when no version covers the play's start or the class has no rate
     */
    public Rating rate(Play play, Station station, Boolean soleSound) {
        RateCard card = rules.forInstant(play.startedAt());
        String cls = station.stationClass();
        BigDecimal rate = card.rateFor(cls);
        long durationMs = Math.max(0, play.durationMs());
        List<DaypartPart> parts = new ArrayList<>();
        for (RateCard.DaypartSpan span : card.ratedSpans(play.startedAt(), durationMs, station.timezone())) {
            parts.add(new DaypartPart(span.daypart(), span.durationMs(), card.multiplierFor(cls, span.daypart())));
        }
        String daypart = parts.get(0).daypart(); // the start's
        BigDecimal multiplier = parts.get(0).multiplier();
        BigDecimal perPlay = card.perPlayFor(cls);
        boolean feature = true;
        BigDecimal factor = BigDecimal.ONE;
        if (card.feature() != null) {
            boolean sole = soleSound != null ? soleSound
                    : play.confidence() >= card.feature().minSoleSoundConfidence();
            feature = play.durationMs() >= card.feature().minDurationMs() && sole;
            factor = feature ? BigDecimal.ONE : card.feature().nonFeatureFactor();
        }
        BigDecimal seconds = BigDecimal.valueOf(durationMs, 3);
        BigDecimal perSecondPart = BigDecimal.ZERO; // exact: no rounding before the end
        for (DaypartPart part : parts) {
            perSecondPart = perSecondPart.add(BigDecimal.valueOf(part.durationMs(), 3).multiply(rate)
                    .multiply(part.multiplier()));
        }
        BigDecimal major = perSecondPart.add(perPlay).multiply(factor);
        long amount = major.setScale(card.minorDigits(), RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
        boolean paid = play.durationMs() >= card.minPaidDurationMs() && amount > 0;
        String perSecond = parts.size() == 1
                ? seconds.toPlainString() + " s x " + rate.toPlainString() + " " + card.currency()
                + "/s x " + multiplier.toPlainString() + " (" + daypart + ")"
                : seconds.toPlainString() + " s split by daypart: ("
                + String.join(" + ", parts.stream().map(RoyaltyCalculator::explain).toList())
                + ") x " + rate.toPlainString() + " " + card.currency() + "/s";
        String explanation = perSecond
                + (perPlay.signum() == 0 ? "" : " + " + perPlay.toPlainString() + " per play")
                + (factor.compareTo(BigDecimal.ONE) == 0 ? "" : " x " + factor.toPlainString() + " (not a feature performance)")
                + " = " + amount + " minor units, class " + cls + ", rules " + card.ruleVersion()
                + (play.durationMs() < card.minPaidDurationMs() ? " (under the minimum " + card.minPaidDurationMs()
                + " ms: not paid)" : "");
        return new Rating(card.ruleVersion(), card.currency(), cls, daypart, play.durationMs(), rate, multiplier,
                parts.size() == 1 ? List.of() : parts, perPlay, feature, factor, amount, paid, explanation);
    }

    /** One daypart's term of a split explanation, e.g. {@code PRIME 42.000 s x 1.5}. */
    private static String explain(DaypartPart part) {
        return part.daypart() + " " + BigDecimal.valueOf(part.durationMs(), 3).toPlainString() + " s x "
                + part.multiplier().toPlainString();
    }

    /**
     * Splits an amount over a mapping's society shares with no fees or neighbouring rights (the
     * {@code gh-2026.1} split).
     *
     * @param amountMinor amount to split, minor units (>= 0)
     * @param mapping     society shares, may be null
     * @return account -> minor units (all > 0), sorted by account; the values add up to {@code amountMinor}
     */
    public static Map<String, Long> split(long amountMinor, ProMapping mapping) {
        Map<String, Long> out = new TreeMap<>();
        for (SplitLine l : splitLines(amountMinor, mapping, null, RateCard.ghanaDefault(), "")) {
            out.merge(l.account(), l.amountMinor(), Long::sum);
        }
        return out;
    }

    /**
     * One credit of a split.
     *
     * @param account     the account credited
     * @param amountMinor minor units (> 0)
     * @param memo        why (share, fee, neighbouring part, suspense hold)
     */
    public record SplitLine(String account, long amountMinor, String memo) {
    }

    /**
     * Splits a play's amount by a card's rules (see the class comment).
     *
     * @param amountMinor amount, minor units (>= 0)
     * @param mapping     the work's society shares, may be null
     * @param recording   the recording (label and artists for neighbouring rights), may be null
     * @param card        the rules
     * @param what        label of the play in memos (e.g. its id)
     * @return credits sorted by account, all > 0, adding up to {@code amountMinor}
     * @throws IllegalArgumentException for a negative amount
     */
    public static List<SplitLine> splitLines(long amountMinor, ProMapping mapping, Recording recording,
                                             RateCard card, String what) {
        return splitLines(amountMinor, mapping, recording, card, what, ReciprocalAgreements.none(),
                card.effectiveFrom());
    }

    /**
     * Splits a play's amount by a card's rules, with each foreign share's fee from the reciprocal agreement in
     * force at {@code at} ({@link RateCard.FeeRule#route}).
     *
     * @param agreements reciprocal agreements on file
     * @param at         the play's start (picks the agreements in force)
     * @return credits sorted by account, all > 0, adding up to {@code amountMinor}
     * @throws IllegalArgumentException for a negative amount
     */
    public static List<SplitLine> splitLines(long amountMinor, ProMapping mapping, Recording recording,
                                             RateCard card, String what, ReciprocalAgreements agreements,
                                             Instant at) {
        if (amountMinor < 0) {
            throw new IllegalArgumentException("amountMinor must be >= 0");
        }
        Map<String, BigDecimal> weights = new TreeMap<>(); // account -> percent of the amount
        Map<String, String> memos = new TreeMap<>();
        BigDecimal performing = HUNDRED;
        RateCard.NeighbouringRule nr = card.neighbouring();
        if (nr != null && nr.sharePercent().signum() > 0) {
            performing = HUNDRED.subtract(nr.sharePercent());
            BigDecimal labelPart = nr.sharePercent().multiply(nr.labelPercent()).movePointLeft(2);
            BigDecimal performersPart = nr.sharePercent().multiply(nr.performersPercent()).movePointLeft(2);
            String label = recording == null ? null : recording.label();
            add(weights, memos, label == null || label.isBlank() ? SUSPENSE : labelAccount(label), labelPart,
                    "neighbouring rights, label part of " + what);
            List<String> artists = recording == null ? List.of()
                    : recording.artists().stream().filter(a -> a != null && !a.isBlank()).distinct().toList();
            if (artists.isEmpty()) {
                add(weights, memos, SUSPENSE, performersPart, "neighbouring rights, performers of " + what);
            } else {
                BigDecimal each = performersPart.divide(BigDecimal.valueOf(artists.size()), 12, RoundingMode.DOWN);
                BigDecimal rest = performersPart.subtract(each.multiply(BigDecimal.valueOf(artists.size())));
                for (int i = 0; i < artists.size(); i++) {
                    // the sub-unit rest of an uneven division goes to the first artist: weights stay exact
                    add(weights, memos, performerAccount(artists.get(i)), i == 0 ? each.add(rest) : each,
                            "neighbouring rights, performer part of " + what);
                }
            }
        }
        for (Map.Entry<String, BigDecimal> share : societyPercents(mapping).entrySet()) {
            BigDecimal w = performing.multiply(share.getValue()).movePointLeft(2);
            String code = share.getKey();
            if (code.equals(SUSPENSE)) {
                add(weights, memos, SUSPENSE, w, "unallocated share of " + what + ", held "
                        + card.suspenseHoldYears() + " years");
                continue;
            }
            RateCard.FeeRule fees = card.fees();
            ReciprocalAgreements.Routing routing = fees == null ? null : fees.route(code, agreements, at);
            if (routing != null) {
                BigDecimal feePct = routing.adminFeePercent();
                BigDecimal fee = w.multiply(feePct).movePointLeft(2);
                boolean local = routing.basis().equals(ReciprocalAgreements.LOCAL);
                add(weights, memos, feeAccount(routing.collectingSociety()), fee, (local ? "local" : "reciprocal")
                        + " admin fee " + feePct.toPlainString() + "% on " + what);
                w = w.subtract(fee);
            }
            add(weights, memos, societyAccount(code), w, "share " + share.getValue().toPlainString() + "% of " + what
                    + (routing == null || routing.basis().equals(ReciprocalAgreements.LOCAL) ? ""
                    : routing.basis().equals(ReciprocalAgreements.AGREEMENT)
                    ? " via reciprocal agreement with " + routing.collectingSociety()
                    : " via " + routing.collectingSociety() + " (no reciprocal agreement on file: default foreign fee)"));
        }
        weights.values().removeIf(w -> w.signum() == 0);
        if (weights.isEmpty()) {
            weights.put(SUSPENSE, HUNDRED);
            memos.put(SUSPENSE, "unallocated " + what);
        }
        List<SplitLine> out = new ArrayList<>();
        Allocation.largestRemainder(amountMinor, weights).forEach((account, amount) ->
                out.add(new SplitLine(account, amount, memos.get(account))));
        return out;
    }

    private static void add(Map<String, BigDecimal> weights, Map<String, String> memos, String account,
                            BigDecimal weight, String memo) {
        weights.merge(account, weight, BigDecimal::add);
        memos.merge(account, memo, (a, b) -> a.equals(b) ? a : a + "; " + b);
    }

    /**
     * Society code -> percent (adding up to 100), with {@link #SUSPENSE} for blank/000 codes and the part under
     * 100; everything to suspense when the mapping is missing, empty or invalid.
     */
    static Map<String, BigDecimal> societyPercents(ProMapping mapping) {
        Map<String, BigDecimal> percentByCode = new TreeMap<>();
        boolean valid = mapping != null && !mapping.shares().isEmpty();
        if (valid) {
            for (SocietyShare share : mapping.shares()) {
                if (share == null || share.sharePercent() == null || share.sharePercent().signum() < 0) {
                    valid = false;
                    break;
                }
                String code = share.societyCode() == null || share.societyCode().isBlank()
                        || share.societyCode().trim().equals("000") ? SUSPENSE : share.societyCode().trim();
                percentByCode.merge(code, share.sharePercent(), BigDecimal::add);
            }
        }
        BigDecimal total = percentByCode.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        if (!valid || total.compareTo(HUNDRED) > 0) {
            percentByCode.clear();
            percentByCode.put(SUSPENSE, HUNDRED);
        } else if (total.compareTo(HUNDRED) < 0) {
            percentByCode.merge(SUSPENSE, HUNDRED.subtract(total), BigDecimal::add);
        }
        return percentByCode;
    }

    /**
     * The minimum paid duration of the rate card in force for a play that started at {@code playStartedAt}, ms:
     * the one source of that minimum (the play store marks plays eligible with it, this calculator pays by it).
     */
    public long minPaidDurationMs(Instant playStartedAt) {
        return rules.forInstant(playStartedAt).minPaidDurationMs();
    }

    /**
     * The posting for a closed play, or empty when it is not paid (shorter than the version's minimum, or the
     * amount rounds to zero).
     *
     * @param play     the play (its start picks the rule version; duration, shares, recording and evidence used)
     * @param station  the station charged (class picks the rate, time zone the daypart)
     * @param postedAt the posting instant recorded on the transaction
     * @throws IllegalArgumentException when no version covers the play, the station's class has no rate or its
     *                                  currency differs from the card's
     */
    public Optional<LedgerTransaction> calculate(Play play, Station station, Instant postedAt) {
        RateCard card = rules.forInstant(play.startedAt());
        if (play.durationMs() < card.minPaidDurationMs()) {
            return Optional.empty();
        }
        return posting(play, station, postedAt, card, rate(play, station));
    }

    /**
     * The posting of a play under an explicitly chosen version (re-rating a period under new rules).
     *
     * @throws IllegalArgumentException as {@link #calculate}
     */
    public static Optional<LedgerTransaction> calculate(Play play, Station station, Instant postedAt, RateCard card) {
        RoyaltyCalculator single = new RoyaltyCalculator(card);
        return single.calculate(play, station, postedAt);
    }

    private Optional<LedgerTransaction> posting(Play play, Station station, Instant postedAt, RateCard card,
                                                Rating rating) {
        if (station.currency() != null && !station.currency().equals(card.currency())) {
            throw new IllegalArgumentException("station " + station.stationId() + " is charged in "
                    + station.currency() + " but rate card " + card.ruleVersion() + " is in " + card.currency());
        }
        if (!rating.paid()) {
            return Optional.empty();
        }
        String currency = card.currency();
        String key = idempotencyKey(play.playId(), card.ruleVersion());
        String what = "airplay " + play.playId() + " (" + (play.title() == null ? play.trackId() : play.title())
                + "), " + rating.explanation();
        List<LedgerEntry> entries = new ArrayList<>();
        entries.add(new LedgerEntry(stationAccount(station.stationId()), rating.amountMinor(), currency, what));
        for (SplitLine line : splitLines(rating.amountMinor(), play.proMapping(), play.recording(), card,
                play.playId(), agreements, play.startedAt())) {
            entries.add(new LedgerEntry(line.account(), -line.amountMinor(), currency, line.memo()));
        }
        return Optional.of(new LedgerTransaction(transactionId(key), key, play.playId(), station.stationId(),
                card.ruleVersion(), postedAt, "Royalty for " + what, entries, play.detectionIds(), play.chunkIds(),
                LedgerTransaction.Kind.POSTING, null));
    }

    /** Stable transaction id derived from the idempotency key: {@code t-<16 hex>} (see {@link Ledger#transactionId}). */
    public static String transactionId(String idempotencyKey) {
        return Ledger.transactionId(idempotencyKey);
    }
}
