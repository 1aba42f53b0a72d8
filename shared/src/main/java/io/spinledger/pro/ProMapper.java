package io.spinledger.pro;

import io.spinledger.domain.ProMapping;
import io.spinledger.domain.Recording;
import io.spinledger.domain.SocietyShare;
import io.spinledger.domain.Writer;
import io.spinledger.isrc.Isrc;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which societies collect a recording's performing right, with shares in percent (scale 2) that add up to
 * exactly 100.00:
 * <ul>
 *   <li>each writer's declared society (CISAC code or name) wins, basis {@code DECLARED};</li>
 *   <li>a writer without a declared (or with an unknown) society falls back to the territory of the ISRC's
 *       country ({@code QM, QZ, QT -> US}), basis {@code TERRITORY};</li>
 *   <li>with no writers, the territory society takes 100 %, party null, role {@code territory};</li>
 *   <li>when the territory has no known society, the share goes to {@link Society#UNMAPPED} ("000") so the money
 *       waits in suspense instead of being lost.</li>
 * </ul>
 * Shares: writers' {@code sharePercent} are used as declared; missing ones split the remainder equally (all
 * missing: equal split); totals other than 100 are normalised proportionally. Rounding residue goes to the
 * largest share. The mapping is {@code inferred} when any share is not DECLARED. {@link #explain} returns the
 * notes that say what was assumed.
 */
public final class ProMapper {
    /** Basis of a share from a writer's declared society. */
    public static final String DECLARED = "DECLARED";
    /** Basis of a share decided by the ISRC's country. */
    public static final String TERRITORY = "TERRITORY";
    private static final BigDecimal HUNDRED = new BigDecimal("100");
    private static final int SCALE = 2;
    private static final Logger log = LoggerFactory.getLogger(ProMapper.class);

    private final SocietyRegistry registry;

    /**
     * A mapping with what was assumed on the way.
     *
     * @param mapping the shares
     * @param notes   human-readable assumptions (equal split, normalisation, unknown society, unmapped)
     */
    public record Result(ProMapping mapping, List<String> notes) {
        public Result {
            notes = List.copyOf(notes);
        }
    }

    /** A mapper over a society registry. */
    public ProMapper(SocietyRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** The society shares for a recording; never empty, always adding up to 100. */
    public ProMapping map(Recording recording) {
        return explain(recording).mapping();
    }

    /** Like {@link #map}, with the notes that explain inferred or adjusted shares. */
    public Result explain(Recording recording) {
        Objects.requireNonNull(recording, "recording");
        List<String> notes = new ArrayList<>();
        Society territory = territorySociety(recording.isrc(), notes);
        List<Writer> writers = recording.writers();
        if (writers.isEmpty()) {
            notes.add("no writers known: 100% to " + territory.name() + " by territory");
            return done(new ProMapping(List.of(new SocietyShare(territory.code(), territory.name(),
                    HUNDRED.setScale(SCALE), null, "territory", TERRITORY)), true), notes, recording);
        }
        List<BigDecimal> percents = shares(writers, notes);
        List<SocietyShare> shares = new ArrayList<>();
        boolean inferred = false;
        for (int i = 0; i < writers.size(); i++) {
            Writer w = writers.get(i);
            Optional<Society> declared = registry.resolve(w.society());
            if (w.society() != null && !w.society().isBlank() && declared.isEmpty()) {
                notes.add("writer " + w.name() + " declares unknown society \"" + w.society() + "\": territory used");
            }
            Society s = declared.orElse(territory);
            inferred |= declared.isEmpty();
            shares.add(new SocietyShare(s.code(), s.name(), percents.get(i), w.name(), w.role(),
                    declared.isPresent() ? DECLARED : TERRITORY));
        }
        return done(new ProMapping(shares, inferred), notes, recording);
    }

    private Result done(ProMapping mapping, List<String> notes, Recording recording) {
        if (!notes.isEmpty()) {
            log.info("PRO mapping of {} ({}): {}", recording.isrc(), recording.title(), String.join("; ", notes));
        }
        return new Result(mapping, notes);
    }

    private Society territorySociety(String isrc, List<String> notes) {
        Optional<Isrc> code = Isrc.tryParse(isrc);
        if (code.isEmpty()) {
            notes.add("no usable ISRC (" + isrc + "): territory unknown, UNMAPPED (suspense)");
            return Society.UNMAPPED;
        }
        String country = code.get().agencyCountry();
        Optional<Society> s = registry.defaultFor(country);
        if (s.isEmpty()) {
            notes.add("no default society for ISRC country " + country + ": UNMAPPED (suspense)");
        }
        return s.orElse(Society.UNMAPPED);
    }

    /** Percent per writer, scale 2, adding up to exactly 100.00. */
    private static List<BigDecimal> shares(List<Writer> writers, List<String> notes) {
        int n = writers.size();
        List<BigDecimal> weights = new ArrayList<>(n);
        BigDecimal known = BigDecimal.ZERO;
        int missing = 0;
        for (Writer w : writers) {
            BigDecimal p = w.sharePercent();
            if (p != null && p.signum() < 0) {
                notes.add("writer " + w.name() + " has negative share " + p + ": treated as missing");
                p = null;
            }
            weights.add(p);
            if (p == null) {
                missing++;
            } else {
                known = known.add(p);
            }
        }
        if (missing == n) {
            notes.add("no shares declared: split equally among " + n + " writers");
            weights.replaceAll(w -> BigDecimal.ONE);
        } else if (missing > 0) {
            BigDecimal remainder = HUNDRED.subtract(known).max(BigDecimal.ZERO);
            BigDecimal each = remainder.divide(BigDecimal.valueOf(missing), 10, RoundingMode.HALF_EVEN);
            notes.add(missing + " writer(s) without share get " + remainder.stripTrailingZeros().toPlainString()
                    + "% split equally");
            weights.replaceAll(w -> w == null ? each : w);
        }
        BigDecimal total = weights.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        if (total.signum() == 0) {
            notes.add("declared shares add up to 0: split equally among " + n + " writers");
            weights.replaceAll(w -> BigDecimal.ONE);
            total = BigDecimal.valueOf(n);
        } else if (total.compareTo(HUNDRED) != 0 && missing != n) {
            notes.add("shares add up to " + total.stripTrailingZeros().toPlainString() + "%: normalised to 100%");
        }
        List<BigDecimal> out = new ArrayList<>(n);
        BigDecimal sum = BigDecimal.ZERO;
        int largest = 0;
        for (int i = 0; i < n; i++) {
            BigDecimal p = weights.get(i).multiply(HUNDRED).divide(total, SCALE, RoundingMode.HALF_EVEN);
            out.add(p);
            sum = sum.add(p);
            if (weights.get(i).compareTo(weights.get(largest)) > 0) {
                largest = i;
            }
        }
        BigDecimal residue = HUNDRED.setScale(SCALE).subtract(sum);
        out.set(largest, out.get(largest).add(residue));
        return out;
    }
}
