package io.spinledger.cli.bench;

import io.spinledger.engine.audio.Pcm;
import io.spinledger.engine.fingerprint.FingerprintEngine;
import io.spinledger.engine.fingerprint.FingerprintExtractor;
import io.spinledger.engine.fingerprint.Match;
import io.spinledger.engine.fingerprint.QueryFingerprints;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * JMH per-operation costs, run in-process by {@link CostBench} (forks 0) against the index it built
 * ({@link #engine} and {@link #chunks} are set before the run): reference extraction of a 20 s chunk,
 * query extraction, and query extraction plus matching.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class EngineJmh {
    /** The engine holding the cost index; set by {@link CostBench}. */
    static volatile FingerprintEngine engine;
    /** 20 s chunks cut from indexed tracks; set by {@link CostBench}. */
    static volatile List<Pcm> chunks;

    private FingerprintExtractor extractor;
    private Pcm chunk;
    private final Random random = new Random(5);

    /** Picks the extractor. */
    @Setup(Level.Trial)
    public void setUp() {
        extractor = new FingerprintExtractor(engine.config());
    }

    /** A different chunk each call. */
    @Setup(Level.Invocation)
    public void nextChunk() {
        chunk = chunks.get(random.nextInt(chunks.size()));
    }

    /** Reference extraction (what registration costs) of one 20 s chunk. */
    @Benchmark
    public int extractReference20s() {
        return extractor.extract(chunk).size();
    }

    /** Query extraction of one 20 s chunk. */
    @Benchmark
    public QueryFingerprints extractQuery20s() {
        return extractor.extractQuery(chunk);
    }

    /** Query extraction plus matching of one 20 s chunk against the cost index. */
    @Benchmark
    public List<Match> identify20s() {
        return engine.identify(chunk);
    }
}
