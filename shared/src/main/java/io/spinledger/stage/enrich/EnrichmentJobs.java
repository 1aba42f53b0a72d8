package io.spinledger.stage.enrich;

import io.spinledger.config.TableName;
import io.spinledger.domain.id.Isrc;
import io.spinledger.ports.DocumentTable;
import io.spinledger.ports.TableStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Bulk enrichment jobs ({@code POST /isrc/batch}): a job is a list of ISRCs put in the enrichment queue of the
 * scheduled run ({@link EnrichmentStatusStore#requeue}); its progress is read from their statuses. Stored in table
 * {@link TableName#CACHE}, pk {@code job}, sk the job id.
 */
public final class EnrichmentJobs {
    /** Most ISRCs per job. */
    public static final int MAX_ISRCS = 50;
    private static final String PK = "job";
    private final DocumentTable table;
    private final EnrichmentStatusStore statuses;
    private final Clock clock;

    /**
     * A job as stored.
     *
     * @param jobId     id
     * @param isrcs     valid normalised ISRCs, each once
     * @param invalid   inputs that are not ISRCs (counted failed at once)
     * @param createdAt when started
     */
    public record Job(String jobId, List<String> isrcs, List<String> invalid, Instant createdAt) {
    }

    /**
     * Progress of a job.
     *
     * @param jobId     id
     * @param total     ISRCs submitted (valid and invalid, duplicates once)
     * @param processed looked up since the job started, plus the invalid ones
     * @param succeeded completed or partial
     * @param failed    failed, plus the invalid ones
     * @param done      processed == total
     * @param createdAt when started
     */
    public record Progress(String jobId, int total, int processed, int succeeded, int failed, boolean done,
                           Instant createdAt) {
    }

    /**
     * @param store    the tables
     * @param statuses status per ISRC
     * @param clock    time source
     */
    public EnrichmentJobs(TableStore store, EnrichmentStatusStore statuses, Clock clock) {
        this.table = new DocumentTable(store, TableName.CACHE);
        this.statuses = statuses;
        this.clock = clock;
    }

    /**
     * Starts a job.
     *
     * @throws IllegalArgumentException when empty or more than {@value #MAX_ISRCS} ISRCs
     */
    public Job start(List<String> inputs) {
        if (inputs == null || inputs.isEmpty() || inputs.size() > MAX_ISRCS) {
            throw new IllegalArgumentException("send 1 to " + MAX_ISRCS + " ISRCs, got "
                    + (inputs == null ? 0 : inputs.size()));
        }
        Set<String> valid = new LinkedHashSet<>();
        List<String> invalid = new ArrayList<>();
        for (String raw : inputs) {
            Isrc.tryParse(raw).ifPresentOrElse(i -> valid.add(i.value()), () -> invalid.add(String.valueOf(raw)));
        }
        Job job = new Job("job-" + UUID.randomUUID(), List.copyOf(valid), invalid, clock.instant());
        table.put(PK, job.jobId(), job);
        valid.forEach(statuses::requeue);
        return job;
    }

    /** A job's progress, or empty when unknown. */
    public Optional<Progress> progress(String jobId) {
        return table.get(PK, jobId, Job.class).map(job -> {
            int processed = job.invalid().size();
            int succeeded = 0;
            int failed = job.invalid().size();
            for (String isrc : job.isrcs()) {
                var s = statuses.get(isrc).orElse(null);
                if (s == null || s.updatedAt().isBefore(job.createdAt())) {
                    continue;
                }
                switch (s.state()) {
                    case COMPLETED, PARTIAL -> {
                        processed++;
                        succeeded++;
                    }
                    case FAILED -> {
                        processed++;
                        failed++;
                    }
                    default -> { }
                }
            }
            int total = job.isrcs().size() + job.invalid().size();
            return new Progress(job.jobId(), total, processed, succeeded, failed, processed == total,
                    job.createdAt());
        });
    }
}
