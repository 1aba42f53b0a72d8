package io.spinledger.stage.posting;

import com.fasterxml.jackson.databind.JsonNode;
import io.spinledger.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * All rule versions, and which one applies to a play: the version whose effective period contains the play's
 * start instant. Periods must not overlap, so the choice is unambiguous and a closed period always re-rates
 * to the same version. The bundled book is read from {@code ratecards/index.json} on the classpath.
 */
public final class RuleBook {
    /** Classpath resource listing the bundled versions. */
    public static final String INDEX_RESOURCE = "/ratecards/index.json";

    private final List<RateCard> cards;
    private final boolean anyTime;

    private RuleBook(List<RateCard> cards, boolean anyTime) {
        this.cards = List.copyOf(cards);
        this.anyTime = anyTime;
    }

    /**
     * A book of versions with non-overlapping effective periods.
     *
     * @throws IllegalArgumentException for duplicate versions or overlapping periods
     */
    public static RuleBook of(List<RateCard> cards) {
        List<RateCard> sorted = new ArrayList<>(cards);
        sorted.sort(Comparator.comparing((RateCard c) -> c.effectiveFrom() == null ? Instant.MIN : c.effectiveFrom()));
        Map<String, RateCard> byVersion = new LinkedHashMap<>();
        for (int i = 0; i < sorted.size(); i++) {
            RateCard c = sorted.get(i);
            if (byVersion.put(c.ruleVersion(), c) != null) {
                throw new IllegalArgumentException("duplicate rule version " + c.ruleVersion());
            }
            if (i > 0) {
                RateCard prev = sorted.get(i - 1);
                if (prev.effectiveTo() == null || c.effectiveFrom() == null
                        || c.effectiveFrom().isBefore(prev.effectiveTo())) {
                    throw new IllegalArgumentException("rule versions " + prev.ruleVersion() + " and "
                            + c.ruleVersion() + " have overlapping effective periods");
                }
            }
        }
        return new RuleBook(sorted, false);
    }

    /** A book of one card that applies to every play whatever its effective period says (tests, overrides). */
    public static RuleBook single(RateCard card) {
        return new RuleBook(List.of(card), true);
    }

    /**
     * The bundled versions ({@code ratecards/*.json}).
     *
     * @throws IllegalStateException when a resource is missing or invalid
     */
    public static RuleBook bundled() {
        try (InputStream in = RuleBook.class.getResourceAsStream(INDEX_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + INDEX_RESOURCE);
            }
            JsonNode index = Json.MAPPER.readTree(in);
            List<RateCard> cards = new ArrayList<>();
            for (JsonNode file : index.path("versions")) {
                cards.add(RateCard.resource("/ratecards/" + file.asText()));
            }
            return of(cards);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("bad rate card resources: " + e.getMessage(), e);
        }
    }

    /** Every version, oldest effective period first. */
    public List<RateCard> versions() {
        return cards;
    }

    /** A version by tag. */
    public Optional<RateCard> version(String ruleVersion) {
        return cards.stream().filter(c -> c.ruleVersion().equals(ruleVersion)).findFirst();
    }

    /**
     * The version that applies to a play starting at {@code playStart}.
     *
     * @throws IllegalArgumentException when no version covers that instant
     */
    public RateCard forInstant(Instant playStart) {
        if (anyTime) {
            return cards.get(0);
        }
        for (RateCard c : cards) {
            if (c.appliesAt(playStart)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no rule version is effective at " + playStart);
    }
}
