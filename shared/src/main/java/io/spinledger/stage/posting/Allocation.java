package io.spinledger.stage.posting;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits a whole number of minor units in proportion to weights, losing nothing: the largest-remainder
 * (Hamilton) method. Each key gets the floor of its exact part; the units left over go one each to the keys
 * with the largest fractional remainders (ties by key, ascending), so the parts always add up to the total.
 * Pure and deterministic: the result depends only on the total and the weights, never on map order.
 */
public final class Allocation {
    private Allocation() {
    }

    /**
     * Allocates {@code totalMinor} over {@code weights}.
     *
     * @param totalMinor amount to split, minor units (>= 0)
     * @param weights    key -> weight (>= 0, any scale; e.g. percent, seconds, exact amounts); at least one > 0
     *                   unless the total is 0
     * @return key -> minor units, sorted by key, keys with 0 left out; values add up to {@code totalMinor}
     * @throws IllegalArgumentException for a negative total or weight, or a positive total with no positive weight
     */
    public static Map<String, Long> largestRemainder(long totalMinor, Map<String, BigDecimal> weights) {
        if (totalMinor < 0) {
            throw new IllegalArgumentException("totalMinor must be >= 0, got " + totalMinor);
        }
        Map<String, BigDecimal> sorted = new TreeMap<>();
        weights.forEach((k, w) -> {
            if (w == null || w.signum() < 0) {
                throw new IllegalArgumentException("weight of " + k + " must be >= 0, got " + w);
            }
            sorted.merge(k, w, BigDecimal::add);
        });
        BigDecimal sum = sorted.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        Map<String, Long> out = new TreeMap<>();
        if (totalMinor == 0) {
            return out;
        }
        if (sum.signum() == 0) {
            throw new IllegalArgumentException("cannot allocate " + totalMinor + " over weights that add up to 0");
        }
        record Part(String key, long floor, BigDecimal remainder) {
        }
        List<Part> parts = new ArrayList<>();
        long allocated = 0;
        BigDecimal total = BigDecimal.valueOf(totalMinor);
        for (var e : sorted.entrySet()) {
            // exact = total * w / sum; integer part and remainder without rounding error: floor(total*w / sum)
            BigDecimal numerator = total.multiply(e.getValue());
            BigDecimal[] qr = numerator.divideAndRemainder(sum);
            BigDecimal floor = qr[0].setScale(0, RoundingMode.FLOOR);
            BigDecimal remainder = qr[1]; // remainder * sum: same denominator for every key, so it ranks exactly
            parts.add(new Part(e.getKey(), floor.longValueExact(), remainder));
            allocated += floor.longValueExact();
        }
        long leftover = totalMinor - allocated;
        List<Part> byRemainder = new ArrayList<>(parts);
        byRemainder.sort(Comparator.comparing(Part::remainder).reversed().thenComparing(Part::key));
        for (Part p : parts) {
            out.put(p.key(), p.floor());
        }
        for (int i = 0; i < leftover; i++) {
            out.merge(byRemainder.get(i % byRemainder.size()).key(), 1L, Long::sum);
        }
        out.values().removeIf(v -> v == 0L);
        return out;
    }
}
