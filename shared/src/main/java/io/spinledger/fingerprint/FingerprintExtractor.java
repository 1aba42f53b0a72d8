package io.spinledger.fingerprint;

import io.spinledger.audio.Pcm;
import org.jtransforms.fft.FloatFFT_1D;

import java.util.Arrays;

/**
 * Turns mono PCM into triplet fingerprints, in three stages:
 * <ol>
 *   <li>STFT with a Hann window (JTransforms); spectral peaks that top a time-frequency max filter,
 *       exceed an absolute floor and stand out from their frame's mean level; each peak's frequency
 *       and time refined by parabolic interpolation over its neighbours (fractions of a bin/frame);</li>
 *   <li>a density cap: the strongest peaks per one-second run of frames;</li>
 *   <li>triplets: each anchor joined with pairs of its first partners in the target zone, hashed on
 *       scale-invariant ratios plus coarse anchor and span bands (see {@link FingerprintConfig}).</li>
 * </ol>
 * References ({@link #extract}) are sparse and carry one hash per triplet; queries
 * ({@link #extractQuery}) are denser and carry every key a tolerated speed/tempo change can map the
 * triplet to.
 *
 * <p>Memory is bounded: the spectrogram is computed in blocks of frames, so an hour of audio costs
 * the same working memory as a minute (plus the output). Thread-safe; instances are cheap.
 */
public final class FingerprintExtractor {
    private static final int BLOCK_FRAMES = 1024;
    private static final double LOG2 = Math.log(2);

    private final FingerprintConfig config;
    private final float[] window;
    private final int minBin;
    private final int bins;
    private final double hzPerBin;
    private final ThreadLocal<FloatFFT_1D> fft;
    private final ThreadLocal<float[]> scratch;
    private final ThreadLocal<float[]> scratchPrefix;
    private final ThreadLocal<float[]> scratchSuffix;
    private final int ratioBits;
    private final int timeRatioBits;
    private final int anchorBits;
    private final int spanBits;

    /** @param config the extraction tunables */
    public FingerprintExtractor(FingerprintConfig config) {
        this.config = config;
        int n = config.fftSize();
        this.window = new float[n];
        for (int i = 0; i < n; i++) {
            window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / n));
        }
        this.minBin = config.minBin();
        this.bins = config.maxBin() - minBin + 1;
        this.hzPerBin = (double) config.sampleRateHz() / n;
        this.fft = ThreadLocal.withInitial(() -> new FloatFFT_1D(n));
        int padded = bins + 2 * config.peakNeighbourhoodBins();
        this.scratch = ThreadLocal.withInitial(() -> new float[padded]);
        this.scratchPrefix = ThreadLocal.withInitial(() -> new float[padded]);
        this.scratchSuffix = ThreadLocal.withInitial(() -> new float[padded]);
        this.ratioBits = FingerprintConfig.bitsFor(config.ratioLevels());
        this.timeRatioBits = FingerprintConfig.bitsFor(config.timeRatioLevels());
        this.anchorBits = FingerprintConfig.bitsFor(config.anchorBands());
        this.spanBits = FingerprintConfig.bitsFor(config.spanBands());
    }

    /** The tunables this extractor uses. */
    public FingerprintConfig config() {
        return config;
    }

    /**
     * Extracts the reference fingerprints of some audio (sparse: one hash per triplet).
     *
     * @param pcm mono audio at {@link FingerprintConfig#sampleRateHz()}
     * @return fingerprints ordered by anchor frame; empty for silence or audio shorter than one window
     * @throws IllegalArgumentException if the sample rate differs from the configuration's
     */
    public Fingerprints extract(Pcm pcm) {
        Peaks peaks = capDensity(findPeaks(checkRate(pcm).samples()), config.referencePeaksPerSecond());
        return referenceTriplets(peaks);
    }

    /**
     * Extracts the fingerprints of a query (a chunk or clip): denser peaks, more partners, and for
     * each triplet every hash key it may have in the index (see {@link QueryFingerprints}).
     *
     * @param pcm mono audio at {@link FingerprintConfig#sampleRateHz()}
     * @return the query triplets, ordered by anchor time
     * @throws IllegalArgumentException if the sample rate differs from the configuration's
     */
    public QueryFingerprints extractQuery(Pcm pcm) {
        Peaks peaks = capDensity(findPeaks(checkRate(pcm).samples()), config.queryPeaksPerSecond());
        int durationFrames = (int) Math.round(pcm.samples().length / (double) config.hopSize());
        return queryTriplets(peaks, durationFrames);
    }

    private Pcm checkRate(Pcm pcm) {
        if (pcm.sampleRateHz() != config.sampleRateHz()) {
            throw new IllegalArgumentException("PCM is at " + pcm.sampleRateHz() + " Hz, the extractor expects "
                    + config.sampleRateHz() + " Hz: decode at the configured rate");
        }
        return pcm;
    }

    // ---- stage 1: spectrogram + peaks ----

    private Peaks findPeaks(float[] x) {
        int n = config.fftSize();
        int hop = config.hopSize();
        Peaks peaks = new Peaks();
        if (x.length < n) {
            return peaks;
        }
        int frames = (x.length - n) / hop + 1;
        int margin = config.peakNeighbourhoodFrames();
        int rows = Math.min(BLOCK_FRAMES, frames) + 2 * margin;
        float[][] db = new float[rows][bins];
        float[][] rowMax = new float[rows][bins];
        float[] frameMean = new float[rows];
        float[] buf = new float[n];
        for (int start = 0; start < frames; start += BLOCK_FRAMES) {
            int end = Math.min(frames, start + BLOCK_FRAMES);
            int from = Math.max(0, start - margin);
            int to = Math.min(frames, end + margin);
            for (int t = from; t < to; t++) {
                int r = t - from;
                frameMean[r] = spectrum(x, t * hop, buf, db[r]);
                maxAlongFrequency(db[r], rowMax[r]);
            }
            for (int t = start; t < end; t++) {
                int r = t - from;
                int r0 = Math.max(from, t - margin) - from;
                int r1 = Math.min(to - 1, t + margin) - from;
                float threshold = (float) Math.max(config.peakFloorDb(), frameMean[r] + config.peakProminenceDb());
                float[] row = db[r];
                for (int f = 0; f < bins; f++) {
                    float v = row[f];
                    if (v < threshold || v < rowMax[r][f]) {
                        continue;
                    }
                    boolean isMax = true;
                    for (int rr = r0; rr <= r1 && isMax; rr++) {
                        isMax = rowMax[rr][f] <= v;
                    }
                    if (isMax) {
                        float df = f > 0 && f < bins - 1 ? vertex(row[f - 1], v, row[f + 1]) : 0f;
                        float dt = r > 0 && r < to - from - 1 && t > 0 && t < frames - 1
                                ? vertex(db[r - 1][f], v, db[r + 1][f]) : 0f;
                        peaks.add(t, t + dt, f + minBin + df, v);
                    }
                }
            }
        }
        return peaks;
    }

    /** Offset in (-0.5, 0.5) of the vertex of the parabola through three equally spaced values. */
    private static float vertex(float a, float b, float c) {
        float d = a - 2 * b + c;
        if (d >= 0) {
            return 0f;
        }
        float x = 0.5f * (a - c) / d;
        return Math.max(-0.5f, Math.min(0.5f, x));
    }

    /** Windowed FFT of one frame into dB (0 dB = full-scale sine); returns the mean dB over the band. */
    private float spectrum(float[] x, int offset, float[] buf, float[] outDb) {
        int n = buf.length;
        for (int i = 0; i < n; i++) {
            buf[i] = x[offset + i] * window[i];
        }
        fft.get().realForward(buf);
        // A full-scale sine through a Hann window peaks at n/4.
        float norm = 1f / ((n / 4f) * (n / 4f));
        float sum = 0;
        for (int f = 0; f < bins; f++) {
            int k = f + minBin;
            float re = buf[2 * k];
            float im = buf[2 * k + 1];
            float v = 3.0103f * fastLog2((re * re + im * im) * norm + 1e-12f);
            outDb[f] = v;
            sum += v;
        }
        return sum / bins;
    }

    /** log2(x) for positive normal floats, absolute error below 1e-4 (exponent + quartic on the mantissa). */
    static float fastLog2(float x) {
        int bits = Float.floatToRawIntBits(x);
        int exponent = ((bits >>> 23) & 0xff) - 127;
        float m = Float.intBitsToFloat((bits & 0x007fffff) | 0x3f800000);
        float p = -1.7417939f + (2.8212026f + (-1.4699568f + (0.44717955f - 0.056570851f * m) * m) * m) * m;
        return exponent + p;
    }

    /**
     * Sliding maximum over +-peakNeighbourhoodBins (clamped at the band edges) in O(bins), by the
     * van Herk / Gil-Werman block prefix/suffix maxima.
     */
    private void maxAlongFrequency(float[] row, float[] out) {
        int r = config.peakNeighbourhoodBins();
        int w = 2 * r + 1;
        int n = bins + 2 * r;
        float[] padded = scratch.get();
        Arrays.fill(padded, 0, r, Float.NEGATIVE_INFINITY);
        System.arraycopy(row, 0, padded, r, bins);
        Arrays.fill(padded, r + bins, n, Float.NEGATIVE_INFINITY);
        float[] prefix = scratchPrefix.get();
        float[] suffix = scratchSuffix.get();
        for (int i = 0; i < n; i++) {
            prefix[i] = i % w == 0 ? padded[i] : Math.max(prefix[i - 1], padded[i]);
        }
        for (int i = n - 1; i >= 0; i--) {
            suffix[i] = (i % w == w - 1 || i == n - 1) ? padded[i] : Math.max(suffix[i + 1], padded[i]);
        }
        for (int f = 0; f < bins; f++) {
            out[f] = Math.max(suffix[f], prefix[f + w - 1]);
        }
    }

    // ---- stage 2: density cap ----

    /** Keeps the strongest {@code perSecond} peaks in each one-second run of frames (time order kept). */
    private Peaks capDensity(Peaks peaks, int perSecond) {
        int bucketFrames = Math.max(1, (int) Math.round((double) config.sampleRateHz() / config.hopSize()));
        Peaks kept = new Peaks();
        int i = 0;
        while (i < peaks.size) {
            int bucket = peaks.frame[i] / bucketFrames;
            int j = i;
            while (j < peaks.size && peaks.frame[j] / bucketFrames == bucket) {
                j++;
            }
            if (j - i <= perSecond) {
                for (int k = i; k < j; k++) {
                    kept.copy(peaks, k);
                }
            } else {
                float[] copy = Arrays.copyOfRange(peaks.db, i, j);
                Arrays.sort(copy);
                float cut = copy[copy.length - perSecond];
                int budget = perSecond;
                for (int k = i; k < j; k++) {
                    if (peaks.db[k] > cut) {
                        budget--;
                    }
                }
                for (int k = i; k < j; k++) {
                    if (peaks.db[k] > cut || (peaks.db[k] == cut && budget-- > 0)) {
                        kept.copy(peaks, k);
                    }
                }
            }
            i = j;
        }
        return kept;
    }

    // ---- stage 3: triplets -> hashes ----

    /** Features of one triplet, in quantisation units (level = floor of the value). */
    private final class Triplet {
        double ratio1;
        double ratio2;
        double timeRatio;
        double anchorBand;
        double spanBand;
        double pitch;
        float start;
        float end;

        /** Fills the features of (a, b, c); false if the triplet is degenerate. */
        boolean set(Peaks p, int a, int b, int c) {
            if (p.frame[c] <= p.frame[b]) {
                return false;
            }
            float span = p.time[c] - p.time[a];
            if (span <= 0.5f) {
                return false;
            }
            double la = log2(p.bin[a]);
            double perOct = config.ratioLevelsPerOctave();
            ratio1 = (log2(p.bin[b]) - la + config.targetZoneMaxOctaves()) * perOct;
            ratio2 = (log2(p.bin[c]) - la + config.targetZoneMaxOctaves()) * perOct;
            timeRatio = (p.time[b] - p.time[a]) / span * config.timeRatioLevels();
            double anchorOctaves = Math.log(p.bin[a] * hzPerBin / config.minFrequencyHz()) / LOG2;
            anchorBand = anchorOctaves * config.anchorBandsPerOctave();
            spanBand = Math.log(span) / LOG2 * config.spanBandsPerOctave();
            pitch = anchorOctaves * config.pitchStepsPerOctave();
            start = p.time[a];
            end = p.time[c];
            return true;
        }
    }

    private static double log2(float x) {
        return Math.log(x) / LOG2;
    }

    private int pack(int r1, int r2, int tr, int ab, int sb) {
        int h = r1;
        h = (h << ratioBits) | r2;
        h = (h << timeRatioBits) | tr;
        h = (h << anchorBits) | ab;
        return (h << spanBits) | sb;
    }

    private static int level(double v, int levels) {
        return Math.max(0, Math.min(levels - 1, (int) Math.floor(v)));
    }

    /** Calls {@code sink} for each (a, b, c) with b, c among a's first {@code partners} partners. */
    private void forEachTriplet(Peaks p, int partners, TripletSink sink) {
        int minDt = config.targetZoneMinDtFrames();
        int maxDt = config.targetZoneMaxDtFrames();
        double maxOct = config.targetZoneMaxOctaves();
        int[] chosen = new int[partners];
        for (int a = 0; a < p.size; a++) {
            int n = 0;
            double la = log2(p.bin[a]);
            for (int b = a + 1; b < p.size && n < partners; b++) {
                int dt = p.frame[b] - p.frame[a];
                if (dt > maxDt) {
                    break;
                }
                if (dt < minDt || Math.abs(log2(p.bin[b]) - la) > maxOct) {
                    continue;
                }
                chosen[n++] = b;
            }
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    sink.accept(a, chosen[i], chosen[j]);
                }
            }
        }
    }

    @FunctionalInterface
    private interface TripletSink {
        void accept(int a, int b, int c);
    }

    private Fingerprints referenceTriplets(Peaks p) {
        int partners = config.referenceTargetPeaks();
        int cap = Math.max(16, p.size * partners * (partners - 1) / 2);
        int[] hashes = new int[cap];
        int[] frames = new int[cap];
        byte[] pitches = new byte[cap];
        int[] count = {0};
        Triplet t = new Triplet();
        forEachTriplet(p, partners, (a, b, c) -> {
            if (!t.set(p, a, b, c)) {
                return;
            }
            int k = count[0]++;
            hashes[k] = pack(level(t.ratio1, config.ratioLevels()), level(t.ratio2, config.ratioLevels()),
                    level(t.timeRatio, config.timeRatioLevels()), level(t.anchorBand, config.anchorBands()),
                    level(t.spanBand, config.spanBands()));
            frames[k] = Math.max(0, Math.round(t.start));
            pitches[k] = (byte) Math.max(0, Math.min(255, Math.round(t.pitch)));
        });
        int n = count[0];
        // rounded interpolated times can step back by one frame: restore frame order
        long[] order = new long[n];
        for (int i = 0; i < n; i++) {
            order[i] = ((long) frames[i] << 32) | i;
        }
        Arrays.sort(order);
        int[] h = new int[n];
        int[] f = new int[n];
        byte[] pt = new byte[n];
        for (int i = 0; i < n; i++) {
            int j = (int) order[i];
            h[i] = hashes[j];
            f[i] = frames[j];
            pt[i] = pitches[j];
        }
        return new Fingerprints(h, f, pt);
    }

    private QueryFingerprints queryTriplets(Peaks p, int durationFrames) {
        int partners = config.queryTargetPeaks();
        int cap = Math.max(16, p.size * partners * (partners - 1) / 2);
        float[] starts = new float[cap];
        float[] ends = new float[cap];
        float[] pitches = new float[cap];
        int[] offsets = new int[cap + 1];
        IntList keys = new IntList(cap * 4);
        int[] count = {0};
        double margin = config.quantisationMargin();
        double scaleOct = Math.log(1 + config.maxScaleDeviation()) / LOG2;
        double anchorDev = scaleOct * config.anchorBandsPerOctave() + 0.02;
        double spanDev = scaleOct * config.spanBandsPerOctave() + 0.02;
        int rl = config.ratioLevels();
        int tl = config.timeRatioLevels();
        int al = config.anchorBands();
        int sl = config.spanBands();
        Triplet t = new Triplet();
        forEachTriplet(p, partners, (a, b, c) -> {
            if (!t.set(p, a, b, c)) {
                return;
            }
            int k = count[0]++;
            starts[k] = t.start;
            ends[k] = t.end;
            pitches[k] = (float) t.pitch;
            int r1lo = level(t.ratio1 - margin, rl);
            int r1hi = level(t.ratio1 + margin, rl);
            int r2lo = level(t.ratio2 - margin, rl);
            int r2hi = level(t.ratio2 + margin, rl);
            int tlo = level(t.timeRatio - margin, tl);
            int thi = level(t.timeRatio + margin, tl);
            int alo = level(t.anchorBand - anchorDev, al);
            int ahi = level(t.anchorBand + anchorDev, al);
            int slo = level(t.spanBand - spanDev, sl);
            int shi = level(t.spanBand + spanDev, sl);
            for (int r1 = r1lo; r1 <= r1hi; r1++) {
                for (int r2 = r2lo; r2 <= r2hi; r2++) {
                    for (int tr = tlo; tr <= thi; tr++) {
                        for (int ab = alo; ab <= ahi; ab++) {
                            for (int sb = slo; sb <= shi; sb++) {
                                keys.add(pack(r1, r2, tr, ab, sb));
                            }
                        }
                    }
                }
            }
            offsets[k + 1] = keys.size;
        });
        int n = count[0];
        return new QueryFingerprints(Arrays.copyOf(starts, n), Arrays.copyOf(ends, n), Arrays.copyOf(pitches, n),
                Arrays.copyOf(offsets, n + 1), keys.toArray(), durationFrames);
    }

    /** A growable int array. */
    private static final class IntList {
        int[] data;
        int size;

        IntList(int capacity) {
            data = new int[Math.max(16, capacity)];
        }

        void add(int v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }

    /** Peaks in (frame, bin) order as growable parallel arrays; time and bin are interpolated. */
    private static final class Peaks {
        int[] frame = new int[256];
        float[] time = new float[256];
        float[] bin = new float[256];
        float[] db = new float[256];
        int size;

        void add(int f, float t, float b, float v) {
            if (size == frame.length) {
                frame = Arrays.copyOf(frame, size * 2);
                time = Arrays.copyOf(time, size * 2);
                bin = Arrays.copyOf(bin, size * 2);
                db = Arrays.copyOf(db, size * 2);
            }
            frame[size] = f;
            time[size] = t;
            bin[size] = b;
            db[size] = v;
            size++;
        }

        void copy(Peaks from, int i) {
            add(from.frame[i], from.time[i], from.bin[i], from.db[i]);
        }
    }
}
