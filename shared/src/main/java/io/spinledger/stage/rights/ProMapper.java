package io.spinledger.stage.rights;

import io.spinledger.domain.ProMapping;
import io.spinledger.domain.Recording;
import io.spinledger.domain.SocietyShare;
import io.spinledger.domain.Writer;
import io.spinledger.domain.id.Ipi;
import io.spinledger.domain.id.Isrc;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which societies collect a recording's performing right, with shares in percent (scale 2) that add up to
 * exactly 100.00, each share saying how it was decided ({@link SocietyShare#basis()}) and how far it can be trusted
 * ({@link SocietyShare#confidence()}). Sources, in order (issue 4, "PRO mapping"):
 * <ol>
 *   <li><b>Declared</b> ({@value #DECLARED}): the catalog's writers and publishers with their declared society
 *       (CISAC code or name). A writer is identified by IPI name number when given; an IPI with wrong check
 *       digits ({@link Ipi}) refuses that writer's declaration: the share goes to suspense ({@value #REFUSED},
 *       society {@code 000}). Shares must add up to 100 % per right type (performing, and mechanical when any
 *       writer declares one) within {@link #SHARE_TOLERANCE_PERCENT}; otherwise the declaration is refused and
 *       the whole performing right waits in suspense until it is corrected: it is never silently normalised.
 *       Writers without a share split what the others leave (all without: equally), noted and with lower
 *       confidence.</li>
 *   <li><b>MusicBrainz</b> ({@value #MUSICBRAINZ}): writers from the work's relations (provenance
 *       {@code writers=MUSICBRAINZ}), split equally, and the society from the work's society ids
 *       ({@code "ASCAP ID"}, {@code "PRS tune code"}, ... in {@link Recording#societyWorkIds()}); several
 *       societies: the one of the ISRC's country, else the first. Also used for a declared writer without a
 *       (known) society.</li>
 *   <li><b>Territory</b> ({@value #TERRITORY}): the default society of the ISRC's registrant country
 *       ({@code QM, QZ, QT -> US}), flagged inferred, with the lowest confidence; no default society (or no ISRC):
 *       {@link Society#UNMAPPED} ("000"), so the money waits in suspense instead of being lost.</li>
 * </ol>
 * The mapping is {@code inferred} when any share is not {@value #DECLARED}. {@link #explain} also returns notes
 * (what was assumed) and problems (what was refused, and why).
 */
public final class ProMapper {
    /** Basis of a share from a writer's declared society. */
    public static final String DECLARED = "DECLARED";
    /** Basis of a share from MusicBrainz work relations and society work ids. */
    public static final String MUSICBRAINZ = "MUSICBRAINZ";
    /** Basis of a share decided by the ISRC's country. */
    public static final String TERRITORY = "TERRITORY";
    /** Basis of a share whose declaration failed validation: society {@code 000}, held in suspense. */
    public static final String REFUSED = "REFUSED";

    /** Declared society, writer identified by a valid IPI, share declared. */
    public static final double CONFIDENCE_DECLARED_BY_IPI = 1.0;
    /** Declared society, writer identified by name only. */
    public static final double CONFIDENCE_DECLARED_BY_NAME = 0.9;
    /** Ceiling for a declared share whose percent was assumed (equal split, remainder). */
    public static final double CONFIDENCE_ASSUMED_SHARE = 0.8;
    /** Society from the only society work id MusicBrainz has for the work. */
    public static final double CONFIDENCE_MUSICBRAINZ = 0.6;
    /** Society chosen among several society work ids. */
    public static final double CONFIDENCE_MUSICBRAINZ_CHOSEN = 0.5;
    /** Territory default where the country has one society. */
    public static final double CONFIDENCE_TERRITORY = 0.3;
    /** Territory default where the country has several confirmed societies (US: ASCAP, BMI, SESAC, GMR). */
    public static final double CONFIDENCE_TERRITORY_SEVERAL = 0.2;
    /**
     * How far declared shares may miss 100 % and still be accepted, in percentage points: six writers' shares
     * rounded to two decimals (16.67 x 4 + 16.66 x 2) miss by at most 0.06. The residue goes to the largest share.
     */
    public static final BigDecimal SHARE_TOLERANCE_PERCENT = new BigDecimal("0.06");

    private static final BigDecimal HUNDRED = new BigDecimal("100");
    private static final int SCALE = 2;
    private static final Logger log = LoggerFactory.getLogger(ProMapper.class);

    private final SocietyRegistry registry;

    /**
     * A mapping with what was assumed and what was refused on the way.
     *
     * @param mapping  the performing-right shares
     * @param notes    human-readable assumptions (equal split, unknown society, territory, unmapped)
     * @param problems declaration defects (bad IPI check digits, shares not adding up to 100 per right type),
     *                 each saying what was refused; empty when the declaration was consistent
     */
    public record Result(ProMapping mapping, List<String> notes, List<String> problems) {
        public Result {
            notes = List.copyOf(notes);
            problems = List.copyOf(problems);
        }

        /** Whether any part of the declaration was refused. */
        public boolean refused() {
            return !problems.isEmpty();
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

    /** Like {@link #map}, with the notes and problems that explain inferred, assumed or refused shares. */
    public Result explain(Recording recording) {
        Objects.requireNonNull(recording, "recording");
        List<String> notes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Candidate territory = territory(recording.isrc(), notes);
        Optional<Candidate> work = workSociety(recording, territory.society().country(), notes);
        List<Writer> writers = recording.writers();
        if (writers.isEmpty()) {
            Candidate c = work.orElse(territory);
            notes.add("no writers known: 100% to " + c.society().name() + " by " + c.basis().toLowerCase());
            return done(new ProMapping(List.of(share(c, HUNDRED.setScale(SCALE), null, c.basis().equals(TERRITORY)
                    ? "territory" : "work", c.confidence())), true), notes, problems, recording);
        }
        boolean fromMusicBrainz = MUSICBRAINZ.equalsIgnoreCase(recording.provenance().get("writers"));
        if (!fromMusicBrainz) {
            checkMechanical(writers, problems);
        }
        Shares performing = shares(writers, Writer::sharePercent, "performing", notes, problems);
        if (performing.percents() == null) {
            notes.add("performing right held in suspense until the declaration is corrected");
            return done(new ProMapping(List.of(new SocietyShare(Society.UNMAPPED.code(), Society.UNMAPPED.name(),
                    HUNDRED.setScale(SCALE), null, "refused", REFUSED, 0.0)), true), notes, problems, recording);
        }
        List<SocietyShare> shares = new ArrayList<>();
        for (int i = 0; i < writers.size(); i++) {
            Writer w = writers.get(i);
            BigDecimal pct = performing.percents().get(i);
            double ceiling = performing.assumed() ? CONFIDENCE_ASSUMED_SHARE : 1.0;
            if (fromMusicBrainz) {
                Candidate c = work.orElse(territory);
                shares.add(share(c, pct, w.name(), w.role(), Math.min(ceiling, c.confidence())));
                continue;
            }
            String ipiProblem = w.ipi() == null || w.ipi().isBlank() ? null : Ipi.problemOf(Ipi.normalise(w.ipi()));
            if (ipiProblem != null) {
                problems.add("writer " + w.name() + ": " + ipiProblem + ": declaration refused, share held in suspense");
                shares.add(new SocietyShare(Society.UNMAPPED.code(), Society.UNMAPPED.name(), pct, w.name(), w.role(),
                        REFUSED, 0.0));
                continue;
            }
            Optional<Society> declared = registry.resolve(w.society());
            if (declared.isPresent()) {
                double c = w.ipi() == null || w.ipi().isBlank() ? CONFIDENCE_DECLARED_BY_NAME : CONFIDENCE_DECLARED_BY_IPI;
                shares.add(new SocietyShare(declared.get().code(), declared.get().name(), pct, w.name(), w.role(),
                        DECLARED, Math.min(ceiling, c)));
                continue;
            }
            Candidate c = work.orElse(territory);
            notes.add("writer " + w.name() + (w.society() == null || w.society().isBlank() ? " declares no society"
                    : " declares unknown society \"" + w.society() + "\"") + ": " + c.society().name() + " by "
                    + c.basis().toLowerCase());
            shares.add(share(c, pct, w.name(), w.role(), Math.min(ceiling, c.confidence())));
        }
        boolean inferred = shares.stream().anyMatch(s -> !s.basis().equals(DECLARED));
        return done(new ProMapping(shares, inferred), notes, problems, recording);
    }

    /** A society with how it was found and how far to trust it. */
    private record Candidate(Society society, String basis, double confidence) {
    }

    private static SocietyShare share(Candidate c, BigDecimal pct, String party, String role, double confidence) {
        return new SocietyShare(c.society().code(), c.society().name(), pct, party, role, c.basis(),
                c.society().code().equals(Society.UNMAPPED.code()) ? 0.0 : confidence);
    }

    private Result done(ProMapping mapping, List<String> notes, List<String> problems, Recording recording) {
        if (!problems.isEmpty()) {
            log.warn("PRO declaration of {} ({}) refused: {}", recording.isrc(), recording.title(),
                    String.join("; ", problems));
        }
        if (!notes.isEmpty()) {
            log.info("PRO mapping of {} ({}): {}", recording.isrc(), recording.title(), String.join("; ", notes));
        }
        return new Result(mapping, notes, problems);
    }

    private Candidate territory(String isrc, List<String> notes) {
        Optional<Isrc> code = Isrc.tryParse(isrc);
        if (code.isEmpty()) {
            notes.add("no usable ISRC (" + isrc + "): territory unknown, UNMAPPED (suspense)");
            return new Candidate(Society.UNMAPPED, TERRITORY, 0.0);
        }
        String country = code.get().agencyCountry();
        Optional<Society> s = registry.defaultFor(country);
        if (s.isEmpty()) {
            notes.add("no default society for ISRC country " + country + ": UNMAPPED (suspense)");
            return new Candidate(Society.UNMAPPED, TERRITORY, 0.0);
        }
        boolean several = registry.byCountry(country).stream().filter(Society::confirmed).count() > 1;
        return new Candidate(s.get(), TERRITORY, several ? CONFIDENCE_TERRITORY_SEVERAL : CONFIDENCE_TERRITORY);
    }

    /** The society named by the work's society ids (see the class comment), or empty. */
    private Optional<Candidate> workSociety(Recording recording, String territoryCountry, List<String> notes) {
        List<Society> found = new ArrayList<>();
        for (Map.Entry<String, String> id : recording.societyWorkIds().entrySet()) {
            String name = id.getKey().replaceFirst("(?i)\\s+(ID|tune code)$", "").trim();
            Optional<Society> s = registry.byName(name);
            if (s.isPresent() && !found.contains(s.get())) {
                found.add(s.get());
            } else if (s.isEmpty()) {
                notes.add("work id \"" + id.getKey() + "\" names no performing-rights society known here: ignored");
            }
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (found.size() == 1) {
            return Optional.of(new Candidate(found.get(0), MUSICBRAINZ, CONFIDENCE_MUSICBRAINZ));
        }
        Society chosen = found.stream().filter(s -> s.country().equals(territoryCountry)).findFirst()
                .orElse(found.get(0));
        notes.add("work registered with " + found.stream().map(Society::name).toList() + ": " + chosen.name()
                + " chosen" + (chosen.country().equals(territoryCountry) ? " (ISRC country)" : " (first listed)"));
        return Optional.of(new Candidate(chosen, MUSICBRAINZ, CONFIDENCE_MUSICBRAINZ_CHOSEN));
    }

    /** Mechanical shares, when any writer declares one, must be declared by all and add up to 100. */
    private static void checkMechanical(List<Writer> writers, List<String> problems) {
        if (writers.stream().allMatch(w -> w.mechanicalSharePercent() == null)) {
            return;
        }
        List<String> own = new ArrayList<>();
        Shares m = shares(writers, Writer::mechanicalSharePercent, "mechanical", new ArrayList<>(), own);
        if (m.percents() != null && m.assumed()) {
            own.add("mechanical shares declared for some writers only: mechanical declaration refused");
        }
        problems.addAll(own);
    }

    /**
     * Percents per writer, or null percents when the declaration is refused.
     *
     * @param percents scale 2, adding up to exactly 100.00; null when refused
     * @param assumed  true when some percents were not declared (equal split or remainder)
     */
    private record Shares(List<BigDecimal> percents, boolean assumed) {
    }

    private static Shares shares(List<Writer> writers, Function<Writer, BigDecimal> share, String rightType,
                                 List<String> notes, List<String> problems) {
        int n = writers.size();
        List<BigDecimal> weights = new ArrayList<>(n);
        BigDecimal known = BigDecimal.ZERO;
        int missing = 0;
        for (Writer w : writers) {
            BigDecimal p = share.apply(w);
            if (p != null && (p.signum() < 0 || p.compareTo(HUNDRED) > 0)) {
                problems.add("writer " + w.name() + ": " + rightType + " share " + p.toPlainString()
                        + "% is not within 0..100: " + rightType + " declaration refused");
                return new Shares(null, false);
            }
            weights.add(p);
            if (p == null) {
                missing++;
            } else {
                known = known.add(p);
            }
        }
        boolean assumed = missing > 0;
        if (missing == n) {
            notes.add("no " + rightType + " shares declared: split equally among " + n + " writers");
            weights.replaceAll(w -> BigDecimal.ONE);
        } else if (missing > 0) {
            BigDecimal remainder = HUNDRED.subtract(known);
            if (remainder.compareTo(SHARE_TOLERANCE_PERCENT) <= 0) {
                problems.add(rightType + " shares declared add up to " + known.stripTrailingZeros().toPlainString()
                        + "% and leave nothing for " + missing + " writer(s) without a share: " + rightType
                        + " declaration refused");
                return new Shares(null, false);
            }
            BigDecimal each = remainder.divide(BigDecimal.valueOf(missing), 10, RoundingMode.HALF_EVEN);
            notes.add(missing + " writer(s) without " + rightType + " share get "
                    + remainder.stripTrailingZeros().toPlainString() + "% split equally");
            weights.replaceAll(w -> w == null ? each : w);
        } else if (known.subtract(HUNDRED).abs().compareTo(SHARE_TOLERANCE_PERCENT) > 0) {
            problems.add(rightType + " shares add up to " + known.stripTrailingZeros().toPlainString()
                    + "%, not 100%: " + rightType + " declaration refused");
            return new Shares(null, false);
        } else if (known.compareTo(HUNDRED) != 0) {
            notes.add(rightType + " shares add up to " + known.stripTrailingZeros().toPlainString()
                    + "% (rounding): the residue goes to the largest share");
        }
        BigDecimal total = weights.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
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
        out.set(largest, out.get(largest).add(HUNDRED.setScale(SCALE).subtract(sum)));
        return new Shares(out, assumed);
    }
}
