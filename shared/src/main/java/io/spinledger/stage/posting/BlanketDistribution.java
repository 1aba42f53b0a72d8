package io.spinledger.stage.posting;

import io.spinledger.domain.Play;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Blanket-licence distribution over a period's plays: a station's licence fee for the period is shared by
 * airplay seconds (pro rata), or, in a hybrid scheme (GHAMRO: 60 % equally among members, 40 % by airplay), a
 * part is split equally among members and the rest by airplay. Each play's part is then split like a per-play
 * royalty ({@link RoyaltyCalculator#splitLines}) under the version effective at the play's start. Pure; every
 * step is a largest-remainder allocation, so the accounts' parts add up to the fee exactly.
 */
public final class BlanketDistribution {
    private BlanketDistribution() {
    }

    /**
     * A distribution.
     *
     * @param feeMinor         the fee distributed, minor units
     * @param equalPartMinor   the part split equally among members
     * @param airplayPartMinor the part split by airplay
     * @param byPlay           play id -> minor units of the airplay part (paid plays only)
     * @param byAccount        account -> minor units credited (members, societies, fees, suspense...), adding up
     *                         to {@code feeMinor}
     */
    public record Result(long feeMinor, long equalPartMinor, long airplayPartMinor, Map<String, Long> byPlay,
                         Map<String, Long> byAccount) {
        public Result {
            byPlay = Map.copyOf(byPlay);
            byAccount = Map.copyOf(byAccount);
        }
    }

    /**
     * Pro rata: the whole fee by airplay seconds (weights = duration in ms of plays at least the version's
     * minimum paid duration). With no paid plays the fee goes to suspense.
     */
    public static Result proRata(long feeMinor, List<Play> plays, RuleBook rules) {
        return hybrid(feeMinor, BigDecimal.ZERO, List.of(), plays, rules);
    }

    /**
     * Hybrid: {@code equalSharePercent} of the fee equally among {@code memberAccounts}, the rest pro rata by
     * airplay.
     *
     * @param feeMinor          licence fee for the period, minor units (>= 0)
     * @param equalSharePercent percent split equally (0-100); 0 = pure pro rata
     * @param memberAccounts    accounts of the registered members (needed when the percent is > 0)
     * @param plays             the period's plays
     * @param rules             rules for minimum duration and per-play splits
     * @throws IllegalArgumentException for a negative fee, a percent out of range, or an equal part with no members
     */
    public static Result hybrid(long feeMinor, BigDecimal equalSharePercent, List<String> memberAccounts,
                                List<Play> plays, RuleBook rules) {
        if (feeMinor < 0 || equalSharePercent.signum() < 0 || equalSharePercent.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException("fee must be >= 0 and the equal share a percent in [0, 100]");
        }
        Map<String, BigDecimal> parts = new TreeMap<>();
        parts.put("airplay", BigDecimal.valueOf(100).subtract(equalSharePercent));
        parts.put("equal", equalSharePercent);
        Map<String, Long> split = feeMinor == 0 ? Map.of() : Allocation.largestRemainder(feeMinor, parts);
        long equal = split.getOrDefault("equal", 0L);
        long airplay = split.getOrDefault("airplay", 0L);
        Map<String, Long> byAccount = new TreeMap<>();
        if (equal > 0) {
            if (memberAccounts.isEmpty()) {
                throw new IllegalArgumentException("an equal share needs member accounts");
            }
            Map<String, BigDecimal> members = new TreeMap<>();
            memberAccounts.forEach(m -> members.put(m, BigDecimal.ONE));
            Allocation.largestRemainder(equal, members).forEach((k, v) -> byAccount.merge(k, v, Long::sum));
        }
        Map<String, BigDecimal> weights = new TreeMap<>();
        Map<String, Play> byId = new LinkedHashMap<>();
        for (Play p : plays) {
            RateCard card = rules.forInstant(p.startedAt());
            if (p.durationMs() >= card.minPaidDurationMs() && p.durationMs() > 0) {
                weights.merge(p.playId(), BigDecimal.valueOf(p.durationMs()), BigDecimal::add);
                byId.put(p.playId(), p);
            }
        }
        Map<String, Long> byPlay = new TreeMap<>();
        if (airplay > 0 && weights.isEmpty()) {
            byAccount.merge(RoyaltyCalculator.SUSPENSE, airplay, Long::sum);
        } else if (airplay > 0) {
            byPlay.putAll(Allocation.largestRemainder(airplay, weights));
            byPlay.forEach((playId, amount) -> {
                Play p = byId.get(playId);
                for (RoyaltyCalculator.SplitLine l : RoyaltyCalculator.splitLines(amount, p.proMapping(),
                        p.recording(), rules.forInstant(p.startedAt()), playId)) {
                    byAccount.merge(l.account(), l.amountMinor(), Long::sum);
                }
            });
        }
        return new Result(feeMinor, equal, airplay, byPlay, byAccount);
    }
}
