package io.spinledger.stage.posting;

import com.fasterxml.jackson.databind.JsonNode;
import io.spinledger.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An explicit, dated table of exchange rates; the only way SpinLedger converts money. A rate applies from its
 * effective date until the next rate of the same pair; there is no implicit inversion or triangulation, so
 * every conversion names the exact rate it used. Amounts are minor units; a conversion rounds once, HALF_EVEN,
 * to the target currency's minor unit, and {@link #convertAll} converts the total once and allocates it by the
 * largest-remainder method so the converted parts add up to the converted total.
 */
public final class FxTable {
    /** Classpath resource of the bundled table. */
    public static final String RESOURCE = "/fx/rates.json";

    /**
     * One rate.
     *
     * @param from          ISO 4217 code converted from
     * @param to            ISO 4217 code converted to
     * @param effectiveDate first UTC date it applies
     * @param rate          units of {@code to} per unit of {@code from} (major units, > 0)
     * @param source        where it comes from
     */
    public record FxRate(String from, String to, LocalDate effectiveDate, BigDecimal rate, String source) {
        /** @throws IllegalArgumentException for unknown currencies, a missing date or a rate <= 0 */
        public FxRate {
            Currency.getInstance(from);
            Currency.getInstance(to);
            if (effectiveDate == null || rate == null || rate.signum() <= 0) {
                throw new IllegalArgumentException("FX rate " + from + "->" + to + " needs a date and a rate > 0");
            }
        }
    }

    private final List<FxRate> rates;

    private FxTable(List<FxRate> rates) {
        List<FxRate> sorted = new ArrayList<>(rates);
        sorted.sort(Comparator.comparing(FxRate::effectiveDate));
        this.rates = List.copyOf(sorted);
    }

    /** A table of rates. */
    public static FxTable of(List<FxRate> rates) {
        return new FxTable(rates);
    }

    /** The bundled table ({@code fx/rates.json}). */
    public static FxTable bundled() {
        try (InputStream in = FxTable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RESOURCE);
            }
            JsonNode root = Json.MAPPER.readTree(in);
            List<FxRate> rates = new ArrayList<>();
            for (JsonNode r : root.path("rates")) {
                rates.add(Json.MAPPER.treeToValue(r, FxRate.class));
            }
            return of(rates);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The rate of a pair on a date (identity for the same currency).
     *
     * @throws IllegalArgumentException when the table has no rate for the pair effective on that date
     */
    public FxRate rate(String from, String to, LocalDate on) {
        if (from.equals(to)) {
            return new FxRate(from, to, LocalDate.MIN, BigDecimal.ONE, "identity");
        }
        FxRate found = null;
        for (FxRate r : rates) {
            if (r.from().equals(from) && r.to().equals(to) && !r.effectiveDate().isAfter(on)) {
                found = r;
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("no " + from + "->" + to + " rate effective on " + on);
        }
        return found;
    }

    /**
     * Converts minor units of one currency into minor units of another at the rate effective on a date.
     *
     * @throws IllegalArgumentException when no rate applies
     */
    public long convertMinor(long amountMinor, String from, String to, LocalDate on) {
        FxRate r = rate(from, to, on);
        BigDecimal major = BigDecimal.valueOf(amountMinor, digits(from)).multiply(r.rate());
        return major.setScale(digits(to), RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
    }

    /**
     * Converts parts (e.g. a statement's lines) so that they still add up: the total is converted once and
     * allocated over the parts in proportion to their amounts.
     *
     * @param partsMinor key -> minor units of {@code from} (>= 0)
     * @return key -> minor units of {@code to}, adding up to {@code convertMinor(sum)}
     */
    public Map<String, Long> convertAll(Map<String, Long> partsMinor, String from, String to, LocalDate on) {
        long total = partsMinor.values().stream().mapToLong(Long::longValue).sum();
        long converted = convertMinor(total, from, to, on);
        Map<String, BigDecimal> weights = new TreeMap<>();
        partsMinor.forEach((k, v) -> weights.put(k, BigDecimal.valueOf(v)));
        return converted == 0 ? Map.of() : Allocation.largestRemainder(converted, weights);
    }

    private static int digits(String currency) {
        return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
    }
}
