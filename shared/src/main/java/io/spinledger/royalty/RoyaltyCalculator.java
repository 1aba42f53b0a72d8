package io.spinledger.royalty;

import io.spinledger.domain.LedgerEntry;
import io.spinledger.domain.LedgerTransaction;
import io.spinledger.domain.Play;
import io.spinledger.domain.ProMapping;
import io.spinledger.domain.SocietyShare;
import io.spinledger.domain.Station;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns a closed play into a balanced ledger transaction under one {@link RateCard}.
 *
 * <p>Amount = duration in seconds (ms precision) x the station class's per-second rate, rounded HALF_EVEN to the
 * currency's minor unit ({@link java.util.Currency#getDefaultFractionDigits()}). It is split over the play's
 * society shares by the largest-remainder method (each share gets the floor of its exact part; the minor units
 * left over go one each to the shares with the largest fractional remainders, ties by account name), so the
 * parts always add up to the amount. Shares without a society code, the part of the mapping under 100 %, or
 * the whole amount when there is no mapping (or an invalid one: a missing/negative share or over 100 %) go to
 * {@link #SUSPENSE}.
 *
 * <p>Entries: debit {@code station:<stationId>} (+amount), credits {@code society:<code>} / {@code suspense}
 * (negative), summing to zero.
 */
public final class RoyaltyCalculator {
    /** Account for money whose rights holder is not known yet. */
    public static final String SUSPENSE = "suspense";
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final RateCard rateCard;

    /** A calculator for one rate card. */
    public RoyaltyCalculator(RateCard rateCard) {
        this.rateCard = rateCard;
    }

    /** The rate card applied. */
    public RateCard rateCard() {
        return rateCard;
    }

    /** Ledger account of a station: {@code station:<stationId>}. */
    public static String stationAccount(String stationId) {
        return "station:" + stationId;
    }

    /** Ledger account of a society: {@code society:<CISAC code>}. */
    public static String societyAccount(String societyCode) {
        return "society:" + societyCode.trim();
    }

    /** Posting idempotency key: {@code <playId>#<ruleVersion>}. */
    public static String idempotencyKey(String playId, String ruleVersion) {
        return playId + "#" + ruleVersion;
    }

    /**
     * Royalty for an airing, in minor units of the rate card's currency (e.g. 200 000 ms on class A at
     * 0.015 GHS/s = 300 pesewas).
     *
     * @throws IllegalArgumentException when the class has no rate or the duration is negative
     */
    public long amountMinor(long durationMs, String stationClass) {
        if (durationMs < 0) {
            throw new IllegalArgumentException("durationMs must be >= 0");
        }
        BigDecimal major = BigDecimal.valueOf(durationMs, 3).multiply(rateCard.rateFor(stationClass));
        return major.setScale(rateCard.minorDigits(), RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
    }

    /**
     * Splits an amount over a mapping's society shares.
     *
     * @param amountMinor amount to split, minor units (>= 0)
     * @param mapping     society shares, may be null
     * @return account -> minor units (all > 0), sorted by account; the values add up to {@code amountMinor}
     */
    public static Map<String, Long> split(long amountMinor, ProMapping mapping) {
        if (amountMinor < 0) {
            throw new IllegalArgumentException("amountMinor must be >= 0");
        }
        Map<String, BigDecimal> percentByAccount = new TreeMap<>();
        boolean valid = mapping != null && !mapping.shares().isEmpty();
        if (valid) {
            for (SocietyShare share : mapping.shares()) {
                if (share == null || share.sharePercent() == null || share.sharePercent().signum() < 0) {
                    valid = false;
                    break;
                }
                String account = share.societyCode() == null || share.societyCode().isBlank()
                        ? SUSPENSE : societyAccount(share.societyCode());
                percentByAccount.merge(account, share.sharePercent(), BigDecimal::add);
            }
        }
        BigDecimal total = percentByAccount.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        if (!valid || total.compareTo(HUNDRED) > 0) {
            percentByAccount.clear();
            percentByAccount.put(SUSPENSE, HUNDRED);
        } else if (total.compareTo(HUNDRED) < 0) {
            percentByAccount.merge(SUSPENSE, HUNDRED.subtract(total), BigDecimal::add);
        }

        record Part(String account, long floor, BigDecimal remainder) {
        }
        List<Part> parts = new ArrayList<>();
        long allocated = 0;
        BigDecimal amount = BigDecimal.valueOf(amountMinor);
        for (var e : percentByAccount.entrySet()) {
            BigDecimal exact = amount.multiply(e.getValue()).movePointLeft(2);
            BigDecimal floor = exact.setScale(0, RoundingMode.FLOOR);
            parts.add(new Part(e.getKey(), floor.longValueExact(), exact.subtract(floor)));
            allocated += floor.longValueExact();
        }
        long leftover = amountMinor - allocated;
        List<Part> byRemainder = new ArrayList<>(parts);
        byRemainder.sort(Comparator.comparing(Part::remainder).reversed().thenComparing(Part::account));
        Map<String, Long> out = new TreeMap<>();
        for (Part p : parts) {
            out.put(p.account(), p.floor());
        }
        for (int i = 0; i < leftover; i++) {
            out.merge(byRemainder.get(i % byRemainder.size()).account(), 1L, Long::sum);
        }
        out.values().removeIf(v -> v == 0L);
        return out;
    }

    /**
     * The posting for a closed play, or empty when it is not paid (shorter than the rate card's minimum, or the
     * amount rounds to zero).
     *
     * @param play     the play (its duration, shares and evidence are used)
     * @param station  the station charged (its class picks the rate)
     * @param postedAt the posting instant recorded on the transaction
     * @throws IllegalArgumentException when the station's class has no rate or its currency differs from the card's
     */
    public Optional<LedgerTransaction> calculate(Play play, Station station, Instant postedAt) {
        if (play.durationMs() < rateCard.minPaidDurationMs()) {
            return Optional.empty();
        }
        if (station.currency() != null && !station.currency().equals(rateCard.currency())) {
            throw new IllegalArgumentException("station " + station.stationId() + " is charged in "
                    + station.currency() + " but rate card " + rateCard.ruleVersion() + " is in "
                    + rateCard.currency());
        }
        long amount = amountMinor(play.durationMs(), station.stationClass());
        if (amount == 0) {
            return Optional.empty();
        }
        String currency = rateCard.currency();
        String key = idempotencyKey(play.playId(), rateCard.ruleVersion());
        BigDecimal rate = rateCard.rateFor(station.stationClass());
        String what = "airplay " + play.playId() + " (" + (play.title() == null ? play.trackId() : play.title())
                + "), " + BigDecimal.valueOf(play.durationMs(), 3).toPlainString() + " s x " + rate.toPlainString()
                + " " + currency + "/s, class " + station.stationClass();
        List<LedgerEntry> entries = new ArrayList<>();
        entries.add(new LedgerEntry(stationAccount(station.stationId()), amount, currency, what));
        Map<String, BigDecimal> percents = sharePercents(play.proMapping());
        for (Map.Entry<String, Long> part : split(amount, play.proMapping()).entrySet()) {
            String memo = part.getKey().equals(SUSPENSE) && !percents.containsKey(SUSPENSE)
                    ? "unallocated share of " + play.playId()
                    : "share " + percents.getOrDefault(part.getKey(), HUNDRED).toPlainString() + "% of "
                    + play.playId();
            entries.add(new LedgerEntry(part.getKey(), -part.getValue(), currency, memo));
        }
        return Optional.of(new LedgerTransaction(transactionId(key), key, play.playId(), station.stationId(),
                rateCard.ruleVersion(), postedAt, "Royalty for " + what, entries, play.detectionIds(),
                play.chunkIds()));
    }

    /** Stable transaction id derived from the idempotency key: {@code t-<16 hex>}. */
    public static String transactionId(String idempotencyKey) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(idempotencyKey.getBytes(StandardCharsets.UTF_8));
            return "t-" + HexFormat.of().formatHex(h).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }

    private static Map<String, BigDecimal> sharePercents(ProMapping mapping) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        if (mapping == null) {
            return out;
        }
        for (SocietyShare s : mapping.shares()) {
            if (s != null && s.sharePercent() != null) {
                out.merge(s.societyCode() == null || s.societyCode().isBlank() ? SUSPENSE
                        : societyAccount(s.societyCode()), s.sharePercent(), BigDecimal::add);
            }
        }
        return out;
    }
}
