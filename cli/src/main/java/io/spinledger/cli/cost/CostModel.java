package io.spinledger.cli.cost;

import io.spinledger.config.BucketName;
import io.spinledger.config.FunctionCatalogue;
import io.spinledger.config.QueueName;
import io.spinledger.config.TableName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The monthly AWS bill of a SpinLedger deployment per monitored station, from what a measured run counted
 * ({@link MeteringSnapshot}) and list prices ({@link Prices}).
 *
 * <p>How each part scales (a month is 730 hours, AWS's convention):
 * <ul>
 *   <li><b>per station</b>, from the run's station time {@code S} = {@code capture.streamMs} (live stream time held):
 *       everything the capture path and the queue functions used, and the requests made outside any function
 *       (event-source polling that received messages, a capture worker outside a function), times
 *       {@code month / S};</li>
 *   <li><b>capture</b> on long-running ECS Fargate ARM64 tasks: vCPU per stream = {@code capture.cpuMs /
 *       capture.streamMs / utilisation}; memory per task = worker base + in-memory index + per stream; streams per
 *       task = the smaller limit; tasks = {@code ceil(stations / streams per task)} (at least the minimum), so the
 *       curve shows the step; S3 LISTs made outside any function (the capture process's index refresh) are billed
 *       per task. The capture function's Lambda time is not billed (the tasks replace it); its requests, logs and
 *       stored chunks are;</li>
 *   <li><b>scheduled functions</b> fire once a minute on AWS (the template's {@code rate(1 minute)}) whatever the
 *       local interval: a tick's measured time and requests are taken as work per station held (divided by the
 *       run's average stations held), the ticks themselves as a fixed cost;</li>
 *   <li><b>HTTP functions</b> (except the catalogue functions, one-off work: not modeled) and the HTTP API: per
 *       deployment, the run's use extrapolated from its uptime to a month;</li>
 *   <li><b>storage</b>: chunks and evidence per station at their retention; tables (plays, ledger...) grow and
 *       are billed as in month {@code keptMonths}, detections up to their TTL; the catalogue (index,
 *       references, learned audio, the tracks table) per deployment as measured;</li>
 *   <li><b>per deployment</b>: alarms, secrets, idle long polls of the event-source mappings, schedule ticks;
 *       spread over the fleet.</li>
 * </ul>
 * ACRCloud's fees are computed apart from the AWS bill.
 */
public final class CostModel {
    /** Seconds in the model's month (730 hours). */
    public static final double MONTH_S = 730 * 3600.0;
    /** Interval of every schedule on AWS (the SAM template's {@code rate(1 minute)}), seconds. */
    public static final int AWS_SCHEDULE_SECONDS = 60;
    /** CloudWatch alarms in the SAM template. */
    public static final int ALARMS = 32;
    /** Secrets Manager secrets in the SAM template. */
    public static final int SECRETS = 2;
    /** How long an idle event-source mapping poller waits on an empty queue (SQS long poll maximum), seconds. */
    public static final int LONG_POLL_SECONDS = 20;

    /** The owner {@code io.spinledger.stage.capture.CaptureFleet} attributes its workers' loop to. */
    static final String WORKER = "captureWorker";
    /** Where the capture workers keep evidence segments ({@code EvidenceRecorder.PREFIX}). */
    static final String EVIDENCE_PREFIX = io.spinledger.stage.capture.EvidenceRecorder.PREFIX;
    /** Days evidence segments are kept (SAM parameter EvidenceRetentionDays, default). */
    public static final int EVIDENCE_RETENTION_DAYS = 30;
    /** Days detections are kept (their TTL, {@code SPINLEDGER_DETECTION_RETENTION_DAYS} default). */
    public static final int DETECTION_RETENTION_DAYS = 90;
    private static final Set<String> S3_PUT_CLASS = Set.of("PutObject", "CopyObject", "PostObject", "ListObjects",
            "ListObjectsV2", "ListObjectVersions", "ListBuckets", "CreateMultipartUpload", "UploadPart",
            "UploadPartCopy", "CompleteMultipartUpload", "ListMultipartUploads", "ListParts");
    private static final Set<String> S3_FREE = Set.of("DeleteObject", "DeleteObjects", "AbortMultipartUpload");
    /** Set-up and control-plane calls: made once per deployment, not modeled. */
    private static final Set<String> CONTROL = Set.of("CreateTable", "DeleteTable", "DescribeTable", "ListTables",
            "UpdateTimeToLive", "DescribeTimeToLive", "UpdateTable", "CreateQueue", "DeleteQueue", "GetQueueUrl",
            "GetQueueAttributes", "SetQueueAttributes", "ListQueues", "PurgeQueue", "CreateBucket", "DeleteBucket",
            "HeadBucket", "PutBucketLifecycleConfiguration", "PutBucketNotificationConfiguration",
            "PutBucketPolicy", "PutBucketEncryption", "PutBucketVersioning", "GetBucketLocation", "TagResource");

    /**
     * What the model assumes beyond the prices (the command's options).
     *
     * @param utilisation          target CPU utilisation of a capture task (0-1)
     * @param taskVcpu             vCPUs of one capture task
     * @param taskMemoryGb         memory of one capture task (GB)
     * @param workerBaseMb         a worker's memory before index and streams (JVM, code) (MB)
     * @param streamMemoryMb       memory per stream held (decoder, buffers, chunker) (MB)
     * @param indexMemoryMb        the fingerprint index in a worker's memory (MB); negative: the stored
     *                             {@code index/} bytes times {@code indexMemoryFactor}
     * @param indexMemoryFactor    in-memory size of the index per stored byte
     * @param minTasks             capture tasks always running
     * @param chunkRetentionDays   days chunks are kept (SAM parameter ChunkRetentionDays, default 7)
     * @param keptMonths           month of operation whose storage bill is shown for data that is kept (evidence,
     *                             tables)
     * @param stationPrefixes      bucket prefixes other than {@code chunks/} that grow per station and are kept
     * @param catalogueFunctions   HTTP functions that build the catalogue (one-off work, not modeled)
     * @param idlePollersPerQueue  pollers of an idle Lambda SQS event-source mapping
     * @param lambdaPlatformLogBytes bytes Lambda itself logs per invocation (START, END, REPORT lines)
     * @param acrcloudUsdPer1000   ACRCloud price per 1,000 identify requests (US$)
     * @param lambdaCpuTime        bill Lambda by the handlers' thread CPU time instead of their wall time (a lower
     *                             bound for a run on a loaded machine, where waiting inflates wall time)
     */
    public record Options(double utilisation, double taskVcpu, double taskMemoryGb, double workerBaseMb,
                          double streamMemoryMb, double indexMemoryMb, double indexMemoryFactor, int minTasks,
                          double chunkRetentionDays, int keptMonths, Set<String> stationPrefixes,
                          Set<String> catalogueFunctions, int idlePollersPerQueue, int lambdaPlatformLogBytes,
                          double acrcloudUsdPer1000, boolean lambdaCpuTime) {
        /** The defaults the command uses. */
        public static Options defaults() {
            return new Options(0.6, io.spinledger.config.CaptureService.DEFAULT_CPU_UNITS / 1024.0,
                    io.spinledger.config.CaptureService.DEFAULT_MEMORY_MB / 1024.0, 512, 16, -1, 2,
                    io.spinledger.config.CaptureService.DEFAULT_DESIRED_COUNT, 7, 12, Set.of(),
                    Set.of("tracksApi", "identifyApi"), 5, 350, 2.00, false);
        }
    }

    /**
     * One item of the bill.
     *
     * @param item        what is billed
     * @param measured    the quantities behind it, as text
     * @param perStation  US$ per station-month that scales with stations
     * @param fixed       US$ per deployment-month
     */
    public record Line(String item, String measured, double perStation, double fixed) {
        /** US$ per station-month at {@code stations} stations. */
        public double at(int stations) {
            return perStation + fixed / stations;
        }
    }

    /**
     * The model's outcome.
     *
     * @param stationSeconds     live station time the run held (s)
     * @param avgStations        stations held on average over the run's uptime
     * @param cpuPerStation      capture CPU seconds per station-second
     * @param streamsPerTask     streams one capture task holds
     * @param taskLimit          what limits a task ("CPU" or "memory")
     * @param indexMemoryMb      index memory assumed per task (MB)
     * @param taskListsPerMonth  S3 LIST requests of one capture task a month (its index refresh)
     * @param taskLoopUsd        one task's workers' own requests and logs for a month (heartbeats, scans) (US$)
     * @param taskMonthUsd       one capture task for a month, public IPv4 address, LISTs and loop included (US$)
     * @param lines              every other item
     * @param acrRequestsPerStationMonth ACRCloud identify requests per station-month
     * @param acrUsdPerStationMonth      their fee (US$)
     * @param notModeled         what the run counted that the model leaves out, as text
     * @param options            the assumptions used
     */
    public record Result(double stationSeconds, double avgStations, double cpuPerStation, int streamsPerTask,
                         String taskLimit, double indexMemoryMb, double taskListsPerMonth, double taskLoopUsd,
                         double taskMonthUsd,
                         List<Line> lines,
                         double acrRequestsPerStationMonth, double acrUsdPerStationMonth, List<String> notModeled,
                         Options options) {
        /** Capture tasks for a fleet. */
        public int tasks(int stations) {
            return Math.max(options.minTasks(), (int) Math.ceil(stations / (double) streamsPerTask));
        }

        /** Capture workers' US$ per station-month at a fleet size. */
        public double captureAt(int stations) {
            return tasks(stations) * taskMonthUsd / stations;
        }

        /** AWS US$ per station-month at a fleet size (ACRCloud excluded). */
        public double perStationMonth(int stations) {
            if (stations < 1) {
                throw new IllegalArgumentException("stations must be at least 1");
            }
            return captureAt(stations) + lines.stream().mapToDouble(l -> l.at(stations)).sum();
        }
    }

    private final MeteringSnapshot snap;
    private final Options o;
    private final Prices p;
    private final Map<String, double[]> usd = new LinkedHashMap<>();
    private final Map<String, double[]> qty = new LinkedHashMap<>();
    private final Map<String, String> unit = new LinkedHashMap<>();
    private final List<String> notModeled = new ArrayList<>();

    private CostModel(MeteringSnapshot snap, Options o, Prices p) {
        this.snap = snap;
        this.o = o;
        this.p = p;
    }

    /**
     * Computes the bill.
     *
     * @param snap    the measured run
     * @param options the assumptions
     * @param prices  the prices
     * @return the bill per station-month and per deployment
     * @throws IllegalArgumentException when the run held no live stream (nothing to scale per station), or a
     *                                  capture task cannot hold one stream
     */
    public static Result compute(MeteringSnapshot snap, Options options, Prices prices) {
        return new CostModel(snap, options, prices).run();
    }

    private Result run() {
        double streamMs = snap.counter("capture.streamMs");
        if (streamMs <= 0) {
            throw new IllegalArgumentException(snap.source() + ": the run held no live stream (capture.streamMs is 0),"
                    + " so there is nothing to scale per station: let a station stream for a few minutes first");
        }
        double stationS = streamMs / 1000;
        double uptimeS = snap.uptimeMs() / 1000.0;
        double avgStations = stationS / uptimeS;
        double perStation = MONTH_S / stationS;
        double perUptime = MONTH_S / uptimeS;

        // capture on Fargate
        double cpuPerStation = snap.counter("capture.cpuMs") / streamMs;
        long indexBytes = snap.s3Prefixes().getOrDefault(BucketName.INDEX_PREFIX, new MeteringSnapshot.Stored(0, 0))
                .bytes();
        double indexMb = o.indexMemoryMb() >= 0 ? o.indexMemoryMb() : indexBytes * o.indexMemoryFactor() / 1e6;
        double memForStreams = o.taskMemoryGb() * 1024 - o.workerBaseMb() - indexMb;
        int byMemory = (int) Math.floor(memForStreams / o.streamMemoryMb());
        int byCpu = cpuPerStation <= 0 ? Integer.MAX_VALUE
                : (int) Math.floor(o.taskVcpu() * o.utilisation() / cpuPerStation);
        int streamsPerTask = Math.min(byMemory, byCpu);
        if (streamsPerTask < 1) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "a capture task of %.2f vCPU and %.1f GB "
                    + "cannot hold one stream (CPU allows %d, memory %d: %.0f MB for index and worker); raise "
                    + "--task-vcpu or --task-memory-gb", o.taskVcpu(), o.taskMemoryGb(), byCpu == Integer.MAX_VALUE
                    ? -1 : byCpu, byMemory, o.workerBaseMb() + indexMb));
        }
        double taskMonth = (o.taskVcpu() * p.fargateArmVcpuHour() + o.taskMemoryGb() * p.fargateArmGbHour()
                + p.publicIpv4Hour()) * MONTH_S / 3600;
        // LISTs outside any function are the capture process's index refresh (every few seconds, per process
        // whatever it holds): billed per task, at the rate measured over the run's uptime
        Map<String, Map<String, Long>> attributed = byFunction();
        double taskLists = 0;
        for (String op : List.of("ListObjectsV2", "ListObjects")) {
            String k = "aws.s3." + op;
            long inFunctions = attributed.values().stream().mapToLong(m -> m.getOrDefault(k, 0L)).sum();
            taskLists += Math.max(0, snap.counter(k) - inFunctions) * perUptime;
        }
        taskMonth += taskLists / 1000 * p.s3PutPer1000();
        // the workers' own loop (heartbeats, assignment scans), attributed to captureWorker: per task (process)
        double workerLoop = 0;
        for (var e : attributed.getOrDefault(WORKER, Map.of()).entrySet()) {
            workerLoop += priced(e.getKey(), e.getValue() * perUptime);
        }
        taskMonth += workerLoop;

        // functions
        Map<String, Map<String, Long>> byFunction = byFunction();
        double ticks = MONTH_S / AWS_SCHEDULE_SECONDS;
        int schedules = 0;
        int queueMappings = 0;
        for (FunctionCatalogue.Function f : FunctionCatalogue.ALL) {
            Map<String, Long> c = byFunction.getOrDefault(f.definition(), Map.of());
            long inv = c.getOrDefault("invocations", 0L);
            double gbS = c.getOrDefault(o.lambdaCpuTime() ? "cpuMs" : "wallMs", 0L) / 1000.0 * f.memoryMb() / 1024.0;
            boolean capture = f.queue().map(q -> q == QueueName.CAPTURE).orElse(false);
            switch (f.trigger()) {
                case QUEUE -> {
                    if (capture) {
                        usage(c, perStation, true);
                        if (inv > 0) {
                            notModeled.add(String.format(Locale.ROOT, "%s Lambda time (%,d invocations, %,.0f GB-s):"
                                    + " capture runs on the Fargate tasks instead", f.definition(), inv, gbS));
                        }
                    } else {
                        queueMappings++;
                        lambda("Lambda queue functions", inv * perStation, gbS * perStation, true);
                        usage(c, perStation, true);
                    }
                }
                case SCHEDULE -> {
                    schedules++;
                    lambda("Lambda scheduled functions", ticks, 0, false);
                    if (inv > 0) {
                        double scale = ticks / inv / avgStations;
                        lambda("Lambda scheduled functions", 0, gbS * scale, true);
                        usage(c, scale, true);
                    }
                }
                case HTTP -> {
                    if (o.catalogueFunctions().contains(f.definition())) {
                        if (inv > 0) {
                            notModeled.add(String.format(Locale.ROOT, "%s: %,d calls, %,d ms (catalogue building, "
                                    + "one-off)", f.definition(), inv, c.getOrDefault("wallMs", 0L)));
                        }
                    } else {
                        lambda("Lambda HTTP functions, HTTP API", inv * perUptime, gbS * perUptime, false);
                        add("Lambda HTTP functions, HTTP API", "", 0, inv * perUptime / 1e6 * p.httpApiPerMillion(),
                                false);
                        usage(c, perUptime, false);
                    }
                }
            }
        }
        for (String fn : byFunction.keySet()) {
            if (!fn.equals(WORKER) && FunctionCatalogue.ALL.stream().noneMatch(f -> f.definition().equals(fn))) {
                notModeled.add(fn + ": not in the function catalogue");
            }
        }

        // outside any function: event-source polling that received messages, capture workers, the runtime
        Map<String, Long> outside = outside(byFunction);
        outside.remove("aws.s3.ListObjectsV2"); // billed per capture task (above)
        outside.remove("aws.s3.ListObjects");
        long empty = outside.getOrDefault("aws.sqs.ReceiveMessage.empty", 0L);
        outside.computeIfPresent("aws.sqs.ReceiveMessage", (k, v) -> Math.max(0, v - empty));
        long control = 0;
        for (var it = outside.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            String[] n = e.getKey().split("\\.");
            if (n.length >= 3 && n[0].equals("aws") && CONTROL.contains(n[2])) {
                if (n.length == 3) {
                    control += e.getValue();
                }
                it.remove();
            }
        }
        usage(outside, perStation, true);
        if (control > 0) {
            notModeled.add(String.format(Locale.ROOT, "%,d set-up requests (create and describe tables, queues, "
                    + "bucket)", control));
        }
        if (empty > 0) {
            notModeled.add(String.format(Locale.ROOT, "%,d empty receives of the local pollers (replaced by the idle "
                    + "long polls of %d event-source mappings)", empty, queueMappings));
        }
        double idlePolls = queueMappings * o.idlePollersPerQueue() * MONTH_S / LONG_POLL_SECONDS;
        add("SQS requests", "req", idlePolls, idlePolls / 1e6 * p.sqsPerMillion(), false);

        storage(perStation);
        add("CloudWatch alarms", "alarms", ALARMS, ALARMS * p.alarmMonth(), false);
        add("Secrets Manager", "secrets", SECRETS, SECRETS * p.secretMonth(), false);

        double acr = (snap.counter("acrcloud.requests") + snap.counter("acrcloud.notConfigured")) * perStation;
        List<Line> lines = new ArrayList<>();
        usd.forEach((item, v) -> lines.add(new Line(item, describe(item), v[0], v[1])));
        return new Result(stationS, avgStations, cpuPerStation, streamsPerTask, byCpu <= byMemory ? "CPU" : "memory",
                indexMb, taskLists, workerLoop, taskMonth, List.copyOf(lines), acr, acr / 1000 * o.acrcloudUsdPer1000(),
                List.copyOf(notModeled), o);
    }

    private void storage(double perStation) {
        if (snap.s3Prefixes().isEmpty()) {
            notModeled.add("S3 storage: the snapshot lists no object of the media bucket (listing failed or empty)");
        }
        if (snap.tables().isEmpty()) {
            notModeled.add("DynamoDB storage: the snapshot lists no table");
        }
        double chunkGb = 0;
        double stationGb = 0;
        double evidenceGb = 0;
        double catalogueGb = 0;
        List<String> catalogue = new ArrayList<>();
        Map<String, MeteringSnapshot.Stored> prefixes = new TreeMap<>(snap.s3Prefixes());
        // evidence segments are stored every few minutes: the bytes written (evidence.bytes) when the listing has fewer
        long evidence = snap.counter("evidence.bytes");
        prefixes.merge(EVIDENCE_PREFIX, new MeteringSnapshot.Stored(0, evidence),
                (a, b) -> a.bytes() >= b.bytes() ? a : new MeteringSnapshot.Stored(a.count(), b.bytes()));
        prefixes.remove(EVIDENCE_PREFIX, new MeteringSnapshot.Stored(0, 0));
        for (var e : prefixes.entrySet()) {
            double gb = e.getValue().bytes() / 1e9;
            if (e.getKey().equals(BucketName.CHUNKS_PREFIX)) {
                chunkGb += gb / (snap.counter("capture.streamMs") / 1000.0) * o.chunkRetentionDays() * 86400;
            } else if (e.getKey().equals(EVIDENCE_PREFIX)) {
                evidenceGb += gb / (snap.counter("capture.streamMs") / 1000.0) * EVIDENCE_RETENTION_DAYS * 86400;
            } else if (o.stationPrefixes().contains(e.getKey())) {
                stationGb += gb * perStation * o.keptMonths();
            } else {
                catalogueGb += gb;
                catalogue.add(e.getKey());
            }
        }
        add("S3 storage: chunks, " + fmt(o.chunkRetentionDays()) + " days", "GB", chunkGb, chunkGb * p.s3GbMonth(),
                true);
        add("S3 storage: evidence, " + EVIDENCE_RETENTION_DAYS + " days", "GB", evidenceGb,
                evidenceGb * p.s3GbMonth(), true);
        if (stationGb > 0) {
            add("S3 storage: " + String.join(", ", o.stationPrefixes()) + " in month " + o.keptMonths(), "GB",
                    stationGb, stationGb * p.s3GbMonth(), true);
        }
        add("S3 storage: catalogue (" + String.join(", ", catalogue) + ")", "GB", catalogueGb,
                catalogueGb * p.s3GbMonth(), false);
        double tableGb = 0;
        double catalogueTableGb = 0;
        for (var e : snap.tables().entrySet()) {
            double gb = e.getValue().bytes() / 1e9;
            if (e.getKey().equals(TableName.TRACKS.tableName())) {
                catalogueTableGb += gb;
            } else {
                double keptS = o.keptMonths() * MONTH_S;
                if (e.getKey().equals(TableName.DETECTIONS.tableName())) {
                    keptS = Math.min(keptS, DETECTION_RETENTION_DAYS * 86400.0); // TTL
                }
                tableGb += gb / (snap.counter("capture.streamMs") / 1000.0) * keptS;
            }
        }
        add("DynamoDB storage, month " + o.keptMonths(), "GB", tableGb, tableGb * p.dynamoGbMonth(), true);
        add("DynamoDB storage, month " + o.keptMonths(), "GB", catalogueTableGb,
                catalogueTableGb * p.dynamoGbMonth(), false);
    }

    /** Lambda requests and GB-s (and the platform's own log lines per invocation). */
    private void lambda(String item, double invocations, double gbS, boolean perStation) {
        add(item, "GB-s", gbS, gbS * p.lambdaGbSecond(), perStation);
        add(item, "", 0, invocations / 1e6 * p.lambdaPerMillion(), perStation);
        double logGb = invocations * o.lambdaPlatformLogBytes() / 1e9;
        add("CloudWatch Logs", "GB", logGb, logGb * (p.logsIngestGb() + p.logsStoreGbMonth()), perStation);
        invocationCount(item, invocations, perStation);
    }

    private final Map<String, double[]> invocations = new LinkedHashMap<>();

    private void invocationCount(String item, double n, boolean perStation) {
        invocations.computeIfAbsent(item, k -> new double[2])[perStation ? 0 : 1] += n;
    }

    /** US$ of one counter's amount (the classes of {@link #usage}); 0 for what is not billed by itself. */
    private double priced(String name, double v) {
        String[] n = name.split("\\.");
        if (name.equals("log.bytes")) {
            return v / 1e9 * (p.logsIngestGb() + p.logsStoreGbMonth());
        } else if (name.equals("aws.dynamodb.wru.milli")) {
            return v / 1000 / 1e6 * p.dynamoWruPerMillion();
        } else if (name.equals("aws.dynamodb.rru.milli")) {
            return v / 1000 / 1e6 * p.dynamoRruPerMillion();
        } else if (n.length == 3 && n[0].equals("aws") && n[1].equals("s3")) {
            return S3_PUT_CLASS.contains(n[2]) ? v / 1000 * p.s3PutPer1000()
                    : S3_FREE.contains(n[2]) ? 0 : v / 1000 * p.s3GetPer1000();
        } else if (n.length == 3 && n[0].equals("aws") && n[1].equals("sqs")) {
            return v / 1e6 * p.sqsPerMillion();
        }
        return 0;
    }

    /** Prices the counters of one part of the run, times {@code scale}. */
    private void usage(Map<String, Long> counters, double scale, boolean perStation) {
        for (var e : counters.entrySet()) {
            String name = e.getKey();
            double v = e.getValue() * scale;
            String[] n = name.split("\\.");
            if (name.equals("log.bytes")) {
                add("CloudWatch Logs", "GB", v / 1e9, v / 1e9 * (p.logsIngestGb() + p.logsStoreGbMonth()), perStation);
            } else if (name.equals("aws.dynamodb.wru.milli")) {
                add("DynamoDB writes", "WRU", v / 1000, v / 1000 / 1e6 * p.dynamoWruPerMillion(), perStation);
            } else if (name.equals("aws.dynamodb.rru.milli")) {
                add("DynamoDB reads", "RRU", v / 1000, v / 1000 / 1e6 * p.dynamoRruPerMillion(), perStation);
            } else if (n.length == 3 && n[0].equals("aws")) {
                switch (n[1]) {
                    case "s3" -> {
                        if (S3_PUT_CLASS.contains(n[2])) {
                            add("S3 PUT/COPY/POST/LIST requests", "req", v, v / 1000 * p.s3PutPer1000(), perStation);
                        } else if (!S3_FREE.contains(n[2])) {
                            add("S3 GET/HEAD requests", "req", v, v / 1000 * p.s3GetPer1000(), perStation);
                        }
                    }
                    case "sqs" -> add("SQS requests", "req", v, v / 1e6 * p.sqsPerMillion(), perStation);
                    default -> {
                        // DynamoDB requests are billed by their units (above)
                    }
                }
            }
        }
    }

    private void add(String item, String u, double quantity, double dollars, boolean perStation) {
        usd.computeIfAbsent(item, k -> new double[2])[perStation ? 0 : 1] += dollars;
        qty.computeIfAbsent(item, k -> new double[2])[perStation ? 0 : 1] += quantity;
        if (!u.isEmpty()) {
            unit.putIfAbsent(item, u);
        }
    }

    private String describe(String item) {
        double[] q = qty.get(item);
        String u = unit.getOrDefault(item, "");
        StringBuilder sb = new StringBuilder();
        double[] inv = invocations.get(item);
        if (inv != null && inv[0] > 0) {
            sb.append(num(inv[0])).append(" invocations/station");
        }
        if (q[0] > 0) {
            sb.append(sb.isEmpty() ? "" : ", ").append(num(q[0])).append(' ').append(u).append("/station");
        }
        if (inv != null && inv[1] > 0) {
            sb.append(sb.isEmpty() ? "" : "; ").append(num(inv[1])).append(" invocations/deployment");
        }
        if (q[1] > 0) {
            sb.append(sb.isEmpty() ? "" : (inv != null && inv[1] > 0 ? ", " : "; ")).append(num(q[1])).append(' ')
                    .append(u).append("/deployment");
        }
        return sb.toString();
    }

    /** Counters attributed to each function ({@code function.<definition>.<counter>}), by definition. */
    private Map<String, Map<String, Long>> byFunction() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        for (var e : snap.counters().entrySet()) {
            String k = e.getKey();
            if (!k.startsWith("function.")) {
                continue;
            }
            int dot = k.indexOf('.', "function.".length());
            if (dot < 0) {
                continue;
            }
            out.computeIfAbsent(k.substring("function.".length(), dot), x -> new TreeMap<>())
                    .put(k.substring(dot + 1), e.getValue());
        }
        return out;
    }

    /** {@code aws.*} and {@code log.*} counters not attributed to a function. */
    private Map<String, Long> outside(Map<String, Map<String, Long>> byFunction) {
        Map<String, Long> out = new TreeMap<>();
        for (var e : snap.counters().entrySet()) {
            String k = e.getKey();
            if (k.startsWith("aws.") || k.startsWith("log.")) {
                long inFunctions = byFunction.values().stream().mapToLong(m -> m.getOrDefault(k, 0L)).sum();
                out.put(k, Math.max(0, e.getValue() - inFunctions));
            }
        }
        return out;
    }

    static String num(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M", v / 1e6);
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (v >= 1) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
