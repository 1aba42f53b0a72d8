package io.spinledger.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.config.TableName;
import io.spinledger.domain.Recording;
import io.spinledger.isrc.DynamoEnrichmentCache;
import io.spinledger.ledger.DynamoTestSupport;
import io.spinledger.play.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ExpiringDocumentsTest {
    static DynamoTestSupport db;

    @BeforeAll
    static void start() {
        db = DynamoTestSupport.start();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void anEntryLivesUntilItsTtlAndCarriesTheTableTtlAttribute() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
        var cache = new DynamoEnrichmentCache(db.dynamo(), clock);
        Recording r = new Recording("GBAAA9900303", "Title", List.of("Artist"), null, null, "T-000.000.001-0",
                "Work", List.of(), Map.of("title", "MUSICBRAINZ"));
        cache.put("GBAAA9900303", r, Duration.ofHours(1));

        assertThat(cache.get("GBAAA9900303")).contains(r);
        assertThat(cache.get("USAAA9900001")).isEmpty();
        var item = db.dynamo().getItem(g -> g.tableName(TableName.CACHE.tableName()).key(Map.of(
                TableName.PK, AttributeValue.fromS("isrc"), TableName.SK, AttributeValue.fromS("GBAAA9900303")))).item();
        assertThat(item.get(TableName.EXPIRES_AT).n()).isEqualTo(
                Long.toString(Instant.parse("2026-11-21T11:00:00Z").getEpochSecond()));

        clock.advance(Duration.ofMinutes(61));
        assertThat(cache.get("GBAAA9900303")).as("expired before DynamoDB's sweeper runs").isEmpty();
    }

    @Test
    void anUnreadableEntryIsAMissNotAnError() {
        new DocumentTable(db.dynamo(), TableName.CACHE).put("isrc", "GBAAA0000001", "{\"not\":\"an entry\"}");
        var docs = new ExpiringDocuments<>(db.dynamo(), "isrc", Recording.class,
                new MutableClock(Instant.parse("2026-11-21T10:00:00Z")));
        assertThat(docs.get("GBAAA0000001")).isEmpty();
    }
}
