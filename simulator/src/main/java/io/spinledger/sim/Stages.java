package io.spinledger.sim;

import io.spinledger.domain.Chunk;
import io.spinledger.domain.DetectionMessage;
import io.spinledger.json.Json;
import io.spinledger.ports.MessagePublisher;
import io.spinledger.stage.enrich.EnrichStage;
import io.spinledger.stage.fallback.FallbackStage;
import io.spinledger.stage.plays.PlayAssemblyStage;
import io.spinledger.stage.rights.RightsStage;

/**
 * The queue consumers of the simulated pipeline: each decodes one message body and calls its stage, exactly as
 * the function adapters do (fallback, enrichment, rights, play assembly).
 */
final class Stages {
    private final MessagePublisher publisher;
    private final FallbackStage fallback;
    private final EnrichStage enrich;
    private final RightsStage rights;
    private final PlayAssemblyStage assembly;

    Stages(MessagePublisher publisher, FallbackStage fallback, EnrichStage enrich, RightsStage rights,
           PlayAssemblyStage assembly) {
        this.publisher = publisher;
        this.fallback = fallback;
        this.enrich = enrich;
        this.rights = rights;
        this.assembly = assembly;
    }

    void fallback(String body) {
        fallback.handle(Json.read(body, Chunk.class), publisher);
    }

    void enrich(String body) {
        enrich.batch().handle(Json.read(body, DetectionMessage.class), publisher);
    }

    void rights(String body) {
        rights.handle(Json.read(body, DetectionMessage.class), publisher);
    }

    void assemble(String body) {
        DetectionMessage m = Json.read(body, DetectionMessage.class);
        var outcome = assembly.handle(m);
        if (TRACE != null && TRACE.equals(m.detection().stationId() + "/" + m.detection().trackId())) {
            System.err.printf("TRACE %s chunk %s offset %d -> new=%s changed=%s late=%s play=%s superseded=%s%n",
                    clockNow == null ? "" : clockNow.get(), m.detection().chunkStartedAt(), m.detection().trackOffsetMs(),
                    outcome.newDetection(), outcome.changed(), outcome.late(),
                    outcome.play().map(p -> p.playId() + " " + p.status() + " " + p.startedAt() + ".." + p.endedAt())
                            .orElse("-"), outcome.superseded());
        }
    }

    /** {@code SPINLEDGER_SIM_TRACE=station/track}: print every play assembly of that track (debugging a seed). */
    static final String TRACE = System.getenv("SPINLEDGER_SIM_TRACE");
    java.util.function.Supplier<Object> clockNow;
}
