package io.spinledger.ports;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.config.TableName;
import io.spinledger.domain.Recording;
import io.spinledger.stage.enrich.DynamoEnrichmentCache;
import io.spinledger.ports.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExpiringDocumentsTest {
    InMemoryTableStore tables;

    @BeforeEach
    void fresh() {
        tables = new InMemoryTableStore();
    }

    @Test
    void anEntryLivesUntilItsTtlAndCarriesTheTableTtlAttribute() {
        ManualClock clock = new ManualClock(Instant.parse("2026-11-21T10:00:00Z"));
        var cache = new DynamoEnrichmentCache(tables, clock);
        Recording r = new Recording("GBAAA9900303", "Title", List.of("Artist"), null, null, "T-000.000.001-0",
                "Work", List.of(), Map.of("title", "MUSICBRAINZ"));
        cache.put("GBAAA9900303", r, Duration.ofHours(1));

        assertThat(cache.get("GBAAA9900303")).contains(r);
        assertThat(cache.get("USAAA9900001")).isEmpty();
        var item = tables.get(TableName.CACHE, "isrc", "GBAAA9900303").orElseThrow();
        assertThat(item.get(TableName.EXPIRES_AT)).isEqualTo(
                Instant.parse("2026-11-21T11:00:00Z").getEpochSecond());

        clock.advance(Duration.ofMinutes(61));
        assertThat(cache.get("GBAAA9900303")).as("expired before DynamoDB's sweeper runs").isEmpty();
    }

    @Test
    void anUnreadableEntryIsAMissNotAnError() {
        new DocumentTable(tables, TableName.CACHE).put("isrc", "GBAAA0000001", "{\"not\":\"an entry\"}");
        var docs = new ExpiringDocuments<>(tables, "isrc", Recording.class,
                new ManualClock(Instant.parse("2026-11-21T10:00:00Z")));
        assertThat(docs.get("GBAAA0000001")).isEmpty();
    }
}
