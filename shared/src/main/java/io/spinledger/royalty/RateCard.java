package io.spinledger.royalty;

import io.spinledger.config.Settings;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A versioned rate card: per-second rates by station class, in major units of one ISO 4217 currency, and the
 * shortest play that is paid.
 *
 * @param ruleVersion       version tag, part of every posting's idempotency key (e.g. {@code gh-2026.1})
 * @param currency          ISO 4217 code (e.g. {@code GHS})
 * @param ratePerSecond     station class (A, B, C, ONLINE, COMMUNITY; case-insensitive) -> rate per second of
 *                          airplay, major units (e.g. 0.015 GHS)
 * @param minPaidDurationMs plays shorter than this are not paid, ms
 */
public record RateCard(String ruleVersion, String currency, Map<String, BigDecimal> ratePerSecond,
                       long minPaidDurationMs) {
    /**
     * @throws IllegalArgumentException for a blank rule version, an unknown currency, a negative rate or duration
     */
    public RateCard {
        if (ruleVersion == null || ruleVersion.isBlank()) {
            throw new IllegalArgumentException("ruleVersion is required");
        }
        Currency.getInstance(currency); // throws IllegalArgumentException for unknown codes
        TreeMap<String, BigDecimal> rates = new TreeMap<>();
        ratePerSecond.forEach((cls, rate) -> {
            if (rate == null || rate.signum() < 0) {
                throw new IllegalArgumentException("rate for class " + cls + " must be >= 0");
            }
            rates.put(cls.toUpperCase(Locale.ROOT), rate);
        });
        ratePerSecond = Map.copyOf(rates);
        if (minPaidDurationMs < 0) {
            throw new IllegalArgumentException("minPaidDurationMs must be >= 0");
        }
    }

    /**
     * Ghana default (GHAMRO-style placeholder rates, GHS per second): A 0.015, B 0.012, C 0.008, ONLINE 0.010,
     * COMMUNITY 0.005; plays under 30 s are not paid.
     */
    public static RateCard ghanaDefault() {
        return new RateCard("gh-2026.1", "GHS", Map.of("A", new BigDecimal("0.015"), "B", new BigDecimal("0.012"),
                "C", new BigDecimal("0.008"), "ONLINE", new BigDecimal("0.010"),
                "COMMUNITY", new BigDecimal("0.005")), 30_000);
    }

    /** The rate card the settings describe (currency, rates, minimum duration, rule version). */
    public static RateCard from(Settings.Royalty royalty) {
        return new RateCard(royalty.ruleVersion(), royalty.defaultCurrency(), royalty.ratePerSecond(),
                royalty.minPaidDurationMs());
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

    /** Digits of the currency's minor unit (2 for GHS: 1 cedi = 100 pesewas). */
    public int minorDigits() {
        return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
    }
}
