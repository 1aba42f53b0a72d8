package io.spinledger.stage.capture;

import io.spinledger.catalog.StationRepository;
import io.spinledger.catalog.StationRepository.CaptureAssignment;
import io.spinledger.catalog.StationRepository.CaptureWorkerState;
import io.spinledger.domain.Station;
import io.spinledger.stats.Metering;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fan-in capture worker: one process (a container task on AWS, a thread of the local runtime) that holds many
 * stations' streams at once, up to its capacity, each on its own thread with its own FFmpeg decoder.
 *
 * <p><b>Who holds what.</b> Every worker writes a heartbeat ({@link CaptureWorkerState}: alive until, capacity,
 * the stations it holds) every {@link Options#heartbeatMs} and promises to renew it before
 * {@link Options#aliveForMs} runs out; a station's {@link CaptureAssignment} names the worker that holds it and
 * moves only by conditional write, so of two workers claiming a station one wins. On each {@link #tick}:
 * <ol>
 *   <li>streams that ended on their own are restarted; stations whose assignment moved to another worker are
 *       stopped (a handover);</li>
 *   <li>the heartbeat is renewed and every worker's heartbeat is read (one query of one partition);</li>
 *   <li>the fair share is {@code ceil(stations / live workers)} (at most the capacity); below it the worker claims
 *       stations of dead workers (their heartbeat lists them, so they are taken within one tick of the heartbeat
 *       running out), stations offered by workers above their share, and unassigned stations (found by a scan of
 *       the station table every {@link Options#scanEveryMs}, and at once when a station was registered: registration
 *       leaves a marker in the heartbeats' partition, which every tick reads anyway); above it, it offers the excess, so no worker ends above the share
 *       (listed in its heartbeat) and keeps capturing them until another worker has taken them.</li>
 * </ol>
 * A worker that dies therefore loses its stations for at most {@code aliveForMs + heartbeatMs} plus a connect
 * (2 + 1 s and about 0.5 s by default: less than one chunk step of 8 s), besides the chunk it was cutting. A
 * station that no worker holds is reported by {@link CaptureWatchdog}, never left waiting silently. Closing the
 * worker stops its streams (each flushes its last chunk), releases its stations and removes its heartbeat, so the
 * others take them on their next tick.
 *
 * <p>Thread-safety: {@link #tick} and {@link #close} are synchronized; {@link #run} calls {@code tick} in a loop.
 */
public final class CaptureWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CaptureWorker.class);

    /**
     * How a worker behaves.
     *
     * @param workerId    unique per process (e.g. host + start instant)
     * @param capacity    streams it may hold at once ({@code SPINLEDGER_STREAMS_PER_WORKER})
     * @param heartbeatMs how often it ticks and renews its heartbeat, ms
     * @param aliveForMs  how long a heartbeat vouches for the worker, ms (a few heartbeats)
     * @param scanEveryMs how often it scans the station table for new, changed and removed stations, ms
     */
    public record Options(String workerId, int capacity, long heartbeatMs, long aliveForMs, long scanEveryMs) {
        /**
         * @throws IllegalArgumentException for a blank id, a capacity below 1, or timings that cannot work
         *                                  (alive-for not longer than the heartbeat)
         */
        public Options {
            if (workerId == null || workerId.isBlank()) {
                throw new IllegalArgumentException("a capture worker needs an id");
            }
            if (capacity < 1) {
                throw new IllegalArgumentException("SPINLEDGER_STREAMS_PER_WORKER must be >= 1, got " + capacity);
            }
            if (heartbeatMs < 1 || aliveForMs <= heartbeatMs || scanEveryMs < heartbeatMs) {
                throw new IllegalArgumentException("capture worker timings need 0 < heartbeat (" + heartbeatMs
                        + " ms) < alive-for (" + aliveForMs + " ms) and scan (" + scanEveryMs + " ms) >= heartbeat");
            }
        }

        /** The defaults: 1 s heartbeat, 3 s alive-for, station scan every 10 s. */
        public static Options of(String workerId, int capacity) {
            return new Options(workerId, capacity, 1_000, 3_000, 10_000);
        }
    }

    /** Starts a station's stream (the real one: {@link LiveStreams}; a stand-in in the simulation). */
    @FunctionalInterface
    public interface Streams {
        /**
         * Starts capturing a station; returns at once.
         *
         * @param station the station (its stream URL is set)
         * @param workerId the worker that holds it (chunks name it)
         * @return the running stream
         */
        Stream start(Station station, String workerId);
    }

    /** A running stream of one station. */
    public interface Stream {
        /** Stops it (the chunk being cut is flushed); returns without waiting. */
        void stop();

        /** Whether it still runs (false once it ended, stopped or crashed). */
        boolean running();

        /** CPU time its thread used so far, ns (0 when not known). */
        default long cpuNanos() {
            return 0;
        }
    }

    /**
     * What one tick did.
     *
     * @param held     stations held after it
     * @param claimed  stations it took
     * @param stopped  stations it stopped (handed over, removed, released)
     * @param offered  stations it offers to others
     * @param live     live workers it saw (itself included)
     */
    public record Tick(int held, List<String> claimed, List<String> stopped, List<String> offered, int live) {
    }

    private record Held(CaptureAssignment assignment, Station station, Stream stream, long[] cpuSeen) {
    }

    private final Options options;
    private final StationRepository repo;
    private final Streams streams;
    private final Clock clock;
    private final Random random;
    private final Map<String, Held> held = new TreeMap<>();
    private final List<String> offered = new ArrayList<>();
    private Map<String, Station> stations = Map.of();
    private Instant lastScan;
    private Instant lastTick;
    private Instant lastBeatUntil;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param options  id, capacity and timings
     * @param repo     stations, assignments and heartbeats
     * @param streams  starts streams
     * @param clock    time source (a simulated one in tests)
     * @param random   order in which candidate stations are tried (spreads claims among workers)
     */
    public CaptureWorker(Options options, StationRepository repo, Streams streams, Clock clock, Random random) {
        this.options = Objects.requireNonNull(options, "options");
        this.repo = Objects.requireNonNull(repo, "repo");
        this.streams = Objects.requireNonNull(streams, "streams");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The worker's id. */
    public String workerId() {
        return options.workerId();
    }

    /** The most streams this worker holds at once. */
    public int capacity() {
        return options.capacity();
    }

    /** The stations this worker holds now, sorted. */
    public synchronized List<String> held() {
        return List.copyOf(held.keySet());
    }

    /**
     * One step of the protocol (see the class comment), at the clock's instant. Storage failures propagate (the
     * loop in {@link #run} logs them and tries again at the next heartbeat).
     *
     * @return what it did
     */
    public synchronized Tick tick() {
        if (closed.get()) {
            return new Tick(0, List.of(), List.of(), List.of(), 0);
        }
        Instant now = clock.instant();
        meter(now);
        List<String> claimed = new ArrayList<>();
        List<String> stopped = new ArrayList<>();
        List<String> fresh = repo.newStations();
        boolean scan = lastScan == null || Duration.between(lastScan, now).toMillis() >= options.scanEveryMs()
                || fresh.stream().anyMatch(id -> !stations.containsKey(id));
        if (scan) {
            Map<String, Station> byId = new LinkedHashMap<>();
            for (Station s : repo.list()) {
                if (s.streamUrl() != null && !s.streamUrl().isBlank()) {
                    byId.put(s.stationId(), s);
                }
            }
            stations = byId;
            lastScan = now;
        }
        // 1. own streams: removed or changed stations, handovers, crashed streams. Every assignment is read again
        // at each scan, and at once when this worker's own heartbeat ran out (a pause: others may have taken them).
        boolean verifyAll = scan || (lastBeatUntil != null && !lastBeatUntil.isAfter(now));
        for (String id : List.copyOf(held.keySet())) {
            Held h = held.get(id);
            Station current = stations.get(id);
            if (scan && (current == null || !current.streamUrl().equals(h.station().streamUrl()))) {
                stop(id, true, current == null ? "no longer has a stream" : "its stream URL changed");
                stopped.add(id);
                continue;
            }
            if (offered.contains(id) || verifyAll) {
                CaptureAssignment a = repo.assignment(id).orElse(null);
                if (a == null || !a.workerId().equals(workerId())) {
                    stop(id, false, "handed over to " + (a == null ? "nobody yet" : a.workerId()));
                    stopped.add(id);
                    continue;
                }
            }
            if (!h.stream().running()) {
                log.warn("station {}: stream ended on worker {}; restarting it", id, workerId());
                held.put(id, new Held(h.assignment(), h.station(), streams.start(h.station(), workerId()),
                        new long[] {0}));
            }
        }
        offered.retainAll(held.keySet());
        // 2. heartbeat, then everyone's
        heartbeat(now);
        List<CaptureWorkerState> workers = repo.workers();
        List<CaptureWorkerState> live = workers.stream().filter(w -> w.aliveUntil().isAfter(now)).toList();
        int liveCount = Math.max(1, live.size());
        int share = Math.min(options.capacity(), (stations.size() + liveCount - 1) / liveCount);
        // 3. claim up to the share, or offer what is above it
        List<String> offeredBefore = List.copyOf(offered);
        if (held.size() < share) {
            for (String id : candidates(workers, live, now)) {
                if (held.size() >= share) {
                    break;
                }
                if (claim(id, workers, now)) {
                    claimed.add(id);
                }
            }
        } else if (held.size() > share) {
            int keep = share;
            List<String> ids = new ArrayList<>(held.keySet());
            ids.removeAll(offered);
            Collections.reverse(ids);
            for (int i = 0; i < ids.size() && held.size() - offered.size() > keep; i++) {
                offered.add(ids.get(i));
            }
        } else if (!offered.isEmpty()) {
            for (String id : List.copyOf(offered)) {
                CaptureAssignment a = repo.assignment(id).orElse(null);
                if (a == null || !a.workerId().equals(workerId())) {
                    stop(id, false, "handed over to " + (a == null ? "nobody yet" : a.workerId()));
                    stopped.add(id);
                }
            }
            offered.clear();
        }
        if (!claimed.isEmpty() || !stopped.isEmpty() || !offeredBefore.equals(offered)) {
            heartbeat(now);
        }
        if (!claimed.isEmpty() || !stopped.isEmpty()) {
            log.info("capture worker {}: holds {} station(s) (share {}, {} live worker(s)); took {}, stopped {}",
                    workerId(), held.size(), share, liveCount, claimed, stopped);
        }
        // dead workers whose stations all moved on: remove their heartbeat
        for (CaptureWorkerState w : workers) {
            if (!w.aliveUntil().isAfter(now.minusMillis(10 * options.aliveForMs()))
                    && w.stations().stream().noneMatch(id -> repo.assignment(id)
                    .map(a -> a.workerId().equals(w.workerId())).orElse(false))) {
                repo.deleteWorker(w.workerId());
            }
        }
        // a new station's marker is removed once it is held (by this worker or, as its heartbeat says, another)
        for (String id : fresh) {
            if (held.containsKey(id) || live.stream().anyMatch(w -> w.stations().contains(id))
                    || !stations.containsKey(id)) {
                repo.clearNewStation(id);
            }
        }
        return new Tick(held.size(), claimed, stopped, List.copyOf(offered), live.size());
    }

    /** Stations this worker may take now, in a random order: dead workers' and offered ones first, then unassigned. */
    private List<String> candidates(List<CaptureWorkerState> workers, List<CaptureWorkerState> live, Instant now) {
        List<String> urgent = new ArrayList<>();
        for (CaptureWorkerState w : workers) {
            if (w.workerId().equals(workerId())) {
                continue;
            }
            if (!w.aliveUntil().isAfter(now)) {
                urgent.addAll(w.stations());
            }
        }
        List<String> offeredByOthers = new ArrayList<>();
        Map<String, String> holder = new HashMap<>();
        for (CaptureWorkerState w : live) {
            if (!w.workerId().equals(workerId())) {
                w.stations().forEach(id -> holder.put(id, w.workerId()));
                offeredByOthers.addAll(w.offered());
            }
        }
        List<String> rest = new ArrayList<>();
        for (String id : stations.keySet()) {
            if (!holder.containsKey(id) && !urgent.contains(id)) {
                rest.add(id);
            }
        }
        Collections.shuffle(urgent, random);
        Collections.shuffle(offeredByOthers, random);
        Collections.shuffle(rest, random);
        List<String> out = new ArrayList<>(urgent);
        out.addAll(offeredByOthers);
        out.addAll(rest);
        // a station registered since this worker's last scan is read when a dead or offering worker names it
        for (String id : out) {
            if (!stations.containsKey(id) && !held.containsKey(id)) {
                repo.get(id).filter(s -> s.streamUrl() != null && !s.streamUrl().isBlank())
                        .ifPresent(s -> stationsPut(s));
            }
        }
        out.removeIf(id -> held.containsKey(id) || !stations.containsKey(id));
        return out.stream().distinct().toList();
    }

    private void stationsPut(Station s) {
        Map<String, Station> copy = new LinkedHashMap<>(stations);
        copy.put(s.stationId(), s);
        stations = copy;
    }

    /** Takes a station if its assignment is free: absent, its worker dead, or offered. */
    private boolean claim(String id, List<CaptureWorkerState> workers, Instant now) {
        CaptureAssignment current = repo.assignment(id).orElse(null);
        if (current != null && !current.workerId().equals(workerId())) {
            CaptureWorkerState owner = workers.stream().filter(w -> w.workerId().equals(current.workerId()))
                    .findFirst().orElse(null);
            boolean ownerLive = owner != null && owner.aliveUntil().isAfter(now);
            if (ownerLive && !owner.offered().contains(id)) {
                return false;
            }
        }
        CaptureAssignment next = new CaptureAssignment(id, workerId(), now);
        if (!repo.assign(current, next)) {
            return false;
        }
        Station station = stations.get(id);
        held.put(id, new Held(next, station, streams.start(station, workerId()), new long[] {0}));
        Metering.increment("capture.claims");
        return true;
    }

    private void stop(String id, boolean release, String why) {
        Held h = held.remove(id);
        offered.remove(id);
        if (h == null) {
            return;
        }
        h.stream().stop();
        if (release) {
            repo.release(h.assignment());
        }
        log.info("station {}: capture worker {} stopped its stream: {}", id, workerId(), why);
    }

    private void heartbeat(Instant now) {
        lastBeatUntil = now.plusMillis(options.aliveForMs());
        repo.putWorker(new CaptureWorkerState(workerId(), now.plusMillis(options.aliveForMs()), options.capacity(),
                List.copyOf(held.keySet()), List.copyOf(offered)));
    }

    /** Adds held stream time and the streams' CPU time to the usage counters. */
    private void meter(Instant now) {
        if (lastTick != null) {
            long ms = Duration.between(lastTick, now).toMillis();
            Metering.add("capture.streamMs", ms * held.size());
            Metering.add("capture.workerMs", ms);
        }
        lastTick = now;
        for (Held h : held.values()) {
            long cpu = h.stream().cpuNanos();
            if (cpu > h.cpuSeen()[0]) {
                Metering.add("capture.cpuMs", (cpu - h.cpuSeen()[0]) / 1_000_000);
                h.cpuSeen()[0] = cpu - (cpu - h.cpuSeen()[0]) % 1_000_000;
            }
        }
    }

    /**
     * Ticks every heartbeat until {@link #close}; a failed tick is logged and retried at the next heartbeat.
     * Meant for a thread of its own.
     */
    public void run() {
        while (!closed.get()) {
            try {
                tick();
            } catch (RuntimeException e) {
                log.warn("capture worker {}: tick failed ({}); trying again in {} ms", workerId(), e.toString(),
                        options.heartbeatMs());
            }
            try {
                Thread.sleep(options.heartbeatMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Stops every stream (each flushes the chunk it was cutting), releases the stations and removes the heartbeat,
     * so other workers take the stations at their next tick. A storage failure here is logged: the heartbeat then
     * runs out on its own and the stations are taken as a dead worker's.
     */
    @Override
    public synchronized void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (String id : List.copyOf(held.keySet())) {
            try {
                stop(id, true, "worker stopping");
            } catch (RuntimeException e) {
                log.warn("station {}: could not release it ({}); its assignment runs out with the heartbeat", id,
                        e.toString());
            }
        }
        try {
            repo.deleteWorker(workerId());
        } catch (RuntimeException e) {
            log.warn("capture worker {}: could not remove its heartbeat ({})", workerId(), e.toString());
        }
    }

    /** Simulation: the worker dies (its streams stop, nothing is written: no release, no heartbeat removal). */
    synchronized void crash() {
        closed.set(true);
        held.values().forEach(h -> h.stream().stop());
        held.clear();
    }
}
