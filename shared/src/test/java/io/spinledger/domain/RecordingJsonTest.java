package io.spinledger.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.spinledger.json.Json;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Recordings and writers travel as JSON between stages and sit in the cache: old documents still read. */
class RecordingJsonTest {
    @Test
    void roundTripsWithSocietyWorkIdsAndMechanicalShares() {
        Recording r = new Recording("GBAAA9900303", "T", List.of("A"), null, null, null, null,
                List.of(new Writer("W", "00014107338", "PRS", "composer", new BigDecimal("100"), new BigDecimal("100"))),
                Map.of("writers", "CATALOG"), Map.of("PRS tune code", "123"));
        assertThat(Json.read(Json.write(r), Recording.class)).isEqualTo(r);
    }

    @Test
    void documentsWrittenBeforeTheNewFieldsStillRead() {
        Recording r = Json.read("{\"isrc\":\"GBAAA9900303\",\"writers\":[{\"name\":\"W\",\"sharePercent\":50}]}",
                Recording.class);
        assertThat(r.societyWorkIds()).isEmpty();
        assertThat(r.writers().get(0).mechanicalSharePercent()).isNull();
        SocietyShare s = Json.read("{\"societyCode\":\"285\",\"sharePercent\":100,\"basis\":\"DECLARED\"}",
                SocietyShare.class);
        assertThat(s.confidence()).isZero();
    }
}
