package io.spinledger.cli.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * The model's arithmetic on a hand-made snapshot: one station held for exactly one hour, so every per-station
 * counter scales by 730 (hours in the model's month). Expected values are worked out by hand below, price by
 * price, independently of the model's code.
 */
class CostModelTest {

    /** One hour, one station; what each counter stands for is in the comments of {@link #expectedAt1000()}. */
    static final String SNAPSHOT = """
            {
              "format": "spinledger-metering/1",
              "startedAt": "2026-12-01T10:00:00Z",
              "takenAt": "2026-12-01T11:00:00Z",
              "uptimeMs": 3600000,
              "stations": {"registered": 1, "live": 1},
              "counters": {
                "capture.streamMs": 3600000,
                "capture.cpuMs": 300000,
                "function.chunkIngest.invocations": 12,
                "function.chunkIngest.wallMs": 3600000,
                "function.chunkIngest.aws.s3.PutObject": 450,
                "function.chunkIngest.aws.dynamodb.PutItem": 900,
                "function.chunkIngest.aws.dynamodb.wru.milli": 900000,
                "function.fingerprintMatch.invocations": 450,
                "function.fingerprintMatch.wallMs": 45000,
                "function.fingerprintMatch.cpuMs": 9000,
                "function.playPosting.invocations": 240,
                "function.playPosting.wallMs": 2400,
                "function.tracksApi.invocations": 3,
                "function.tracksApi.wallMs": 9000,
                "function.tracksApi.aws.s3.PutObject": 6,
                "aws.s3.PutObject": 456,
                "aws.s3.DeleteObject": 20,
                "aws.s3.ListObjectsV2": 720,
                "function.captureWorker.aws.dynamodb.PutItem": 3600,
                "function.captureWorker.aws.dynamodb.wru.milli": 3600000,
                "aws.dynamodb.PutItem": 4500,
                "aws.dynamodb.wru.milli": 4500000,
                "aws.dynamodb.CreateTable": 7,
                "aws.sqs.ReceiveMessage": 1000,
                "aws.sqs.ReceiveMessage.empty": 550,
                "aws.sqs.DeleteMessageBatch": 450,
                "log.bytes": 100000,
                "acrcloud.notConfigured": 10,
                "evidence.bytes": 7200000
              },
              "storage": {
                "s3": {"bucket": "spinledger-media", "prefixes": {
                  "chunks/": {"objects": 450, "bytes": 79380000},
                  "index/": {"objects": 2, "bytes": 1000000}}},
                "dynamodb": {"spinledger-plays": {"items": 100, "bytes": 1000000},
                             "spinledger-tracks": {"items": 3, "bytes": 3000}}
              },
              "runtime": {"scheduleSeconds": {"playPosting": 15}}
            }
            """;

    static MeteringSnapshot snapshot() {
        return MeteringSnapshot.parse(SNAPSHOT, "test");
    }

    static double expectedAt1000() {
        double logGbPrice = 0.50 + 0.03;
        // capture: 0.3 s CPU per 3.6 s of stream = 1/12 CPU per station; 0.6 / (1/12) = 7.2 -> 7 streams per task
        // (memory: 2048 - 512 - 2 MB index = 1534 MB / 16 = 95 streams); 1000 stations -> ceil(1000/7) = 143 tasks
        // each task also refreshes its index: 720 LISTs an hour outside any function
        // and its workers heartbeat: 3,600 WRU an hour attributed to captureWorker
        double task = (1 * 0.03238 + 2 * 0.00356 + 0.005) * 730 + 720 * 730 * 0.005 / 1000
                + 3600 * 730 * 0.625 / 1e6;
        double capture = 143 * task / 1000;
        // fingerprintMatch: 45 s x 2 GB = 90 GB-s an hour; 450 invocations; 350 bytes of platform log each
        double match = 90 * 730 * 0.0000166667 + 450 * 730 * 0.20 / 1e6 + 450 * 730 * 350 / 1e9 * logGbPrice;
        // chunkIngest (capture): no Lambda time; 450 PUTs and 900 WRU an hour
        double puts = 450 * 730 * 0.005 / 1000;
        double writes = 900 * 730 * 0.625 / 1e6;
        // outside functions: 1000 - 550 empty receives + 450 deletes; 100 KB of logs
        double sqs = (450 + 450) * 730 * 0.40 / 1e6;
        double logs = 100000 * 730 / 1e9 * logGbPrice;
        // playPosting: 10 ms a tick at 1 GB, 43,800 ticks a month, 1 station held on average
        double posting = 0.010 * 1 * 43800 * 0.0000166667;
        // storage: 22,050 chunk bytes per station-second kept 7 days; plays table grows 1 MB an hour, month 12
        double chunks = 79380000.0 / 3600 * 7 * 86400 / 1e9 * 0.023;
        double tables = 1000000.0 * 730 * 12 / 1e9 * 0.25;
        // evidence: 7.2 MB written an hour (2 KB/s, nothing listed yet), kept 30 days
        double evidence = 7200000.0 / 3600 * 30 * 86400 / 1e9 * 0.023;
        // per deployment, over 1000 stations: 5 queue mappings x 5 idle pollers x one poll per 20 s; 3 schedules
        // ticking 43,800 times (requests and platform logs); 32 alarms, 2 secrets; index and tracks stored
        double idle = 5 * 5 * (730 * 3600 / 20.0) * 0.40 / 1e6;
        double ticks = 3 * 43800 * 0.20 / 1e6 + 3 * 43800 * 350 / 1e9 * logGbPrice;
        double fixed = idle + ticks + 32 * 0.10 + 2 * 0.40 + 0.001 * 0.023 + 0.000003 * 0.25;
        return capture + match + puts + writes + sqs + logs + posting + chunks + tables + evidence + fixed / 1000;
    }

    @Test
    void perStationMonthAddsUpByHand() {
        CostModel.Result r = CostModel.compute(snapshot(), CostModel.Options.defaults(), Prices.usEast1());
        assertThat(r.stationSeconds()).isEqualTo(3600);
        assertThat(r.avgStations()).isEqualTo(1.0);
        assertThat(r.streamsPerTask()).isEqualTo(7);
        assertThat(r.taskLimit()).isEqualTo("CPU");
        assertThat(r.indexMemoryMb()).isEqualTo(2.0);
        assertThat(r.taskListsPerMonth()).isCloseTo(720 * 730, within(1e-6));
        assertThat(r.taskLoopUsd()).isCloseTo(3600 * 730 * 0.625 / 1e6, within(1e-9));
        assertThat(r.tasks(10)).isEqualTo(2);
        assertThat(r.tasks(1000)).isEqualTo(143);
        assertThat(r.tasks(10_000)).isEqualTo(1429);
        assertThat(r.perStationMonth(1000)).isCloseTo(expectedAt1000(), within(1e-9));
    }

    @Test
    void itemsAreBilledWhereTheyScale() {
        CostModel.Result r = CostModel.compute(snapshot(), CostModel.Options.defaults(), Prices.usEast1());
        assertThat(line(r, "S3 PUT/COPY/POST/LIST requests").perStation()).isCloseTo(450 * 730 * 0.005 / 1000,
                within(1e-12));
        assertThat(line(r, "S3 PUT/COPY/POST/LIST requests").fixed()).isZero(); // tracksApi is not modeled
        assertThat(line(r, "CloudWatch alarms").perStation()).isZero();
        assertThat(line(r, "CloudWatch alarms").fixed()).isCloseTo(3.2, within(1e-12));
        assertThat(line(r, "S3 storage: chunks, 7 days").perStation())
                .isCloseTo(22050.0 * 7 * 86400 / 1e9 * 0.023, within(1e-12));
        // the fleet curve steps with the tasks: 10 stations still pay 2 whole tasks
        assertThat(r.captureAt(10)).isCloseTo(2 * r.taskMonthUsd() / 10, within(1e-12));
        assertThat(r.perStationMonth(10)).isGreaterThan(r.perStationMonth(1000));
        assertThat(r.acrRequestsPerStationMonth()).isEqualTo(7300);
        assertThat(r.acrUsdPerStationMonth()).isCloseTo(14.6, within(1e-12));
        assertThat(r.notModeled()).anyMatch(s -> s.startsWith("tracksApi: 3 calls"))
                .anyMatch(s -> s.startsWith("7 set-up requests")).anyMatch(s -> s.startsWith("chunkIngest Lambda time"));
    }

    @Test
    void longerRetentionStoresMoreChunks() {
        var d = CostModel.Options.defaults();
        var sixty = new CostModel.Options(d.utilisation(), d.taskVcpu(), d.taskMemoryGb(), d.workerBaseMb(),
                d.streamMemoryMb(), d.indexMemoryMb(), d.indexMemoryFactor(), d.minTasks(), 60, d.keptMonths(),
                d.stationPrefixes(), d.catalogueFunctions(), d.idlePollersPerQueue(), d.lambdaPlatformLogBytes(),
                d.acrcloudUsdPer1000(), d.lambdaCpuTime());
        double at7 = CostModel.compute(snapshot(), d, Prices.usEast1()).perStationMonth(1000);
        double at60 = CostModel.compute(snapshot(), sixty, Prices.usEast1()).perStationMonth(1000);
        assertThat(at60 - at7).isCloseTo(22050.0 * (60 - 7) * 86400 / 1e9 * 0.023, within(1e-9));
    }

    @Test
    void lambdaByCpuTimeBillsTheHandlersCpu() {
        var d = CostModel.Options.defaults();
        var cpu = new CostModel.Options(d.utilisation(), d.taskVcpu(), d.taskMemoryGb(), d.workerBaseMb(),
                d.streamMemoryMb(), d.indexMemoryMb(), d.indexMemoryFactor(), d.minTasks(), d.chunkRetentionDays(),
                d.keptMonths(), d.stationPrefixes(), d.catalogueFunctions(), d.idlePollersPerQueue(),
                d.lambdaPlatformLogBytes(), d.acrcloudUsdPer1000(), true);
        double byWall = CostModel.compute(snapshot(), d, Prices.usEast1()).perStationMonth(1000);
        double byCpu = CostModel.compute(snapshot(), cpu, Prices.usEast1()).perStationMonth(1000);
        // fingerprintMatch: 45 s wall vs 9 s CPU at 2 GB an hour; playPosting has no CPU figure: 0 instead of 438 GB-s
        assertThat(byWall - byCpu).isCloseTo((45 - 9) * 2 * 730 * 0.0000166667 + 438 * 0.0000166667, within(1e-9));
    }

    @Test
    void aRunWithoutAStreamCannotBeScaled() {
        var s = MeteringSnapshot.parse(SNAPSHOT.replace("\"capture.streamMs\": 3600000", "\"capture.streamMs\": 0"),
                "idle.json");
        assertThatThrownBy(() -> CostModel.compute(s, CostModel.Options.defaults(), Prices.usEast1()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("idle.json")
                .hasMessageContaining("held no live stream");
    }

    @Test
    void aTaskTooSmallForOneStreamIsRefused() {
        var d = CostModel.Options.defaults();
        var tiny = new CostModel.Options(d.utilisation(), 0.05, d.taskMemoryGb(), d.workerBaseMb(),
                d.streamMemoryMb(), d.indexMemoryMb(), d.indexMemoryFactor(), d.minTasks(), 30, d.keptMonths(),
                d.stationPrefixes(), d.catalogueFunctions(), d.idlePollersPerQueue(), d.lambdaPlatformLogBytes(),
                d.acrcloudUsdPer1000(), d.lambdaCpuTime());
        assertThatThrownBy(() -> CostModel.compute(snapshot(), tiny, Prices.usEast1()))
                .hasMessageContaining("cannot hold one stream");
    }

    private static CostModel.Line line(CostModel.Result r, String item) {
        return r.lines().stream().filter(l -> l.item().equals(item)).findFirst().orElseThrow(
                () -> new AssertionError("no line " + item + " in " + r.lines()));
    }
}
