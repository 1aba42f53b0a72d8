package io.spinledger.stage.rights;

import com.fasterxml.jackson.databind.JsonNode;
import io.spinledger.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Reciprocal agreements between performing-rights societies: the local society that licenses a station collects
 * for a foreign society's members and passes their share on after its administration fee (industry.md section 4,
 * "Reciprocal agreements"). Data, not code: bundled in {@code pro/agreements.json}. Each agreement may set its
 * own fee; without one the collecting rules' defaults apply (10 % on local members' shares, 15 % on foreign
 * ones, see {@code RateCard.FeeRule}). Immutable and thread-safe.
 *
 * <p>{@link #route} is the one place that decides who collects a share and what fee it keeps: the royalty
 * postings ({@code RoyaltyCalculator}) and {@code GET /pro-mappings} both use it.
 */
public final class ReciprocalAgreements {
    /** Classpath resource of the bundled agreements. */
    public static final String RESOURCE = "/pro/agreements.json";
    /** Routing basis: the member's society is the collecting society (or counts as local): local fee. */
    public static final String LOCAL = "LOCAL";
    /** Routing basis: a reciprocal agreement on file sets the fee. */
    public static final String AGREEMENT = "AGREEMENT";
    /** Routing basis: foreign society without an agreement on file: the default foreign fee, flagged. */
    public static final String NO_AGREEMENT = "NO_AGREEMENT";
    /** Routing basis: no society (blank or {@code 000}): held in suspense, no fee. */
    public static final String SUSPENSE = "SUSPENSE";

    private final List<Agreement> agreements;

    /**
     * One agreement: {@code localSociety} collects in its territory for {@code foreignSociety}'s members.
     *
     * @param localSociety    CISAC code of the collecting society (e.g. "285" GHAMRO)
     * @param foreignSociety  CISAC code of the society whose members it collects for (e.g. "052" PRS)
     * @param adminFeePercent fee the local society keeps on those shares, percent 0..100; null = the default
     *                        foreign fee of the collecting rules
     * @param effectiveFrom   first instant it applies (inclusive), null = always
     * @param effectiveTo     end (exclusive), null = open
     * @param note            where the terms come from
     */
    public record Agreement(String localSociety, String foreignSociety, BigDecimal adminFeePercent,
                            Instant effectiveFrom, Instant effectiveTo, String note) {
        /** @throws IllegalArgumentException for missing codes, a fee outside 0..100 or an empty period */
        public Agreement {
            if (localSociety == null || localSociety.isBlank() || foreignSociety == null || foreignSociety.isBlank()) {
                throw new IllegalArgumentException("an agreement needs a local and a foreign society");
            }
            localSociety = pad(localSociety);
            foreignSociety = pad(foreignSociety);
            if (adminFeePercent != null && (adminFeePercent.signum() < 0
                    || adminFeePercent.compareTo(BigDecimal.valueOf(100)) > 0)) {
                throw new IllegalArgumentException("agreement " + localSociety + "/" + foreignSociety
                        + ": admin fee must be 0..100, got " + adminFeePercent);
            }
            if (effectiveFrom != null && effectiveTo != null && !effectiveFrom.isBefore(effectiveTo)) {
                throw new IllegalArgumentException("agreement " + localSociety + "/" + foreignSociety
                        + ": effectiveFrom must be before effectiveTo");
            }
            note = note == null ? "" : note;
        }

        /** Whether it applies at an instant. */
        public boolean covers(Instant at) {
            return (effectiveFrom == null || !at.isBefore(effectiveFrom)) && (effectiveTo == null || at.isBefore(effectiveTo));
        }
    }

    /**
     * Who collects one society's share and what it keeps.
     *
     * @param memberSociety     CISAC code of the society whose member the share belongs to ("000" = none)
     * @param collectingSociety CISAC code of the society that collects it locally (keeps the fee)
     * @param adminFeePercent   fee kept by the collecting society, percent (0 for suspense)
     * @param basis             {@value #LOCAL}, {@value #AGREEMENT}, {@value #NO_AGREEMENT} or {@value #SUSPENSE}
     * @param note              the agreement's note, or why the default applies
     */
    public record Routing(String memberSociety, String collectingSociety, BigDecimal adminFeePercent, String basis,
                          String note) {
    }

    private ReciprocalAgreements(List<Agreement> agreements) {
        this.agreements = List.copyOf(agreements);
    }

    /** No agreements on file: every foreign share gets the default foreign fee. */
    public static ReciprocalAgreements none() {
        return new ReciprocalAgreements(List.of());
    }

    /** Agreements from a list (e.g. configured in code or tests). */
    public static ReciprocalAgreements of(List<Agreement> agreements) {
        return new ReciprocalAgreements(agreements);
    }

    /**
     * The bundled agreements ({@value #RESOURCE}).
     *
     * @throws IllegalStateException when the resource is missing or invalid
     */
    public static ReciprocalAgreements bundled() {
        try (InputStream in = ReciprocalAgreements.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + RESOURCE);
            }
            return load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("bad " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /**
     * Agreements from JSON shaped like the bundled resource: {@code {"agreements":[{"localSociety":"285",
     * "foreignSociety":"052","adminFeePercent":"15","effectiveFrom":"2026-01-01T00:00:00Z","note":"..."}]}}.
     *
     * @throws IllegalArgumentException for an invalid agreement or two overlapping ones for the same pair
     */
    public static ReciprocalAgreements load(InputStream json) throws IOException {
        JsonNode root = Json.MAPPER.readTree(json);
        List<Agreement> list = new ArrayList<>();
        for (JsonNode a : root.path("agreements")) {
            list.add(new Agreement(a.path("localSociety").asText(null), a.path("foreignSociety").asText(null),
                    a.hasNonNull("adminFeePercent") ? new BigDecimal(a.get("adminFeePercent").asText()) : null,
                    a.hasNonNull("effectiveFrom") ? Instant.parse(a.get("effectiveFrom").asText()) : null,
                    a.hasNonNull("effectiveTo") ? Instant.parse(a.get("effectiveTo").asText()) : null,
                    a.path("note").asText("")));
        }
        for (int i = 0; i < list.size(); i++) {
            for (int j = i + 1; j < list.size(); j++) {
                Agreement x = list.get(i);
                Agreement y = list.get(j);
                if (x.localSociety().equals(y.localSociety()) && x.foreignSociety().equals(y.foreignSociety())
                        && overlap(x, y)) {
                    throw new IllegalArgumentException("overlapping agreements " + x.localSociety() + "/"
                            + x.foreignSociety());
                }
            }
        }
        return new ReciprocalAgreements(list);
    }

    /** Every agreement, in resource order. */
    public List<Agreement> all() {
        return agreements;
    }

    /** The agreement between a collecting and a foreign society in force at an instant, if any. */
    public Optional<Agreement> find(String localSociety, String foreignSociety, Instant at) {
        String l = pad(localSociety);
        String f = pad(foreignSociety);
        return agreements.stream().filter(a -> a.localSociety().equals(l) && a.foreignSociety().equals(f)
                && a.covers(at)).findFirst();
    }

    /**
     * Who collects a member society's share and which fee it keeps.
     *
     * @param collectingSociety   CISAC code of the society licensing the station's territory
     * @param localSocieties      further codes that count as local (fee {@code localFeePercent})
     * @param localFeePercent     default fee on local shares, percent
     * @param foreignFeePercent   default fee on foreign shares without an agreement fee, percent
     * @param memberSociety       the share's society code ("000" or blank = undetermined)
     * @param at                  when (picks the agreement in force)
     * @return the routing; {@value #SUSPENSE} with fee 0 for an undetermined society
     */
    public Routing route(String collectingSociety, Collection<String> localSocieties, BigDecimal localFeePercent,
                         BigDecimal foreignFeePercent, String memberSociety, Instant at) {
        String home = pad(collectingSociety);
        if (memberSociety == null || memberSociety.isBlank() || pad(memberSociety).equals("000")) {
            return new Routing("000", home, BigDecimal.ZERO, SUSPENSE, "no society determined: held in suspense");
        }
        String member = pad(memberSociety);
        if (member.equals(home) || localSocieties.stream().map(ReciprocalAgreements::pad).anyMatch(member::equals)) {
            return new Routing(member, home, localFeePercent, LOCAL, "local member: local admin fee");
        }
        Optional<Agreement> a = find(home, member, at);
        if (a.isPresent()) {
            BigDecimal fee = a.get().adminFeePercent() != null ? a.get().adminFeePercent() : foreignFeePercent;
            return new Routing(member, home, fee, AGREEMENT, a.get().note());
        }
        return new Routing(member, home, foreignFeePercent, NO_AGREEMENT,
                "no reciprocal agreement on file between " + home + " and " + member + ": default foreign fee");
    }

    private static boolean overlap(Agreement x, Agreement y) {
        Instant xf = x.effectiveFrom() == null ? Instant.MIN : x.effectiveFrom();
        Instant yf = y.effectiveFrom() == null ? Instant.MIN : y.effectiveFrom();
        Instant xt = x.effectiveTo() == null ? Instant.MAX : x.effectiveTo();
        Instant yt = y.effectiveTo() == null ? Instant.MAX : y.effectiveTo();
        return xf.isBefore(yt) && yf.isBefore(xt);
    }

    private static String pad(String code) {
        String t = code.trim();
        return "0".repeat(Math.max(0, 3 - t.length())) + t;
    }
}
