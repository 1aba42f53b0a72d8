package io.spinledger.engine.fingerprint;

import io.spinledger.engine.audio.Pcm;
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
 * <p>Memory is bounded: the spectrogram streams through a ring of a few frames (per thread, reused
 * across calls), so an hour of audio costs the same working memory as a minute (plus the output).
 * Thread-safe; instances are cheap.
 */
public final class FingerprintExtractor {
    private static final double LOG2 = Math.log(2);

    private final FingerprintConfig config;
    private final float[] window;
    private final int minBin;
    private final int bins;
    private final double hzPerBin;
    private final double peakFloorDb;
    private final double peakProminenceDb;
    private final ThreadLocal<Workspace> workspace;
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
        this.peakFloorDb = config.peakFloorDb();
        this.peakProminenceDb = config.peakProminenceDb();
        this.workspace = ThreadLocal.withInitial(Workspace::new);
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
        Peaks all = findPeaks(checkRate(pcm).samples());
        Peaks peaks = capDensity(all, config.queryPeaksPerSecond());
        int durationFrames = (int) Math.round(pcm.samples().length / (double) config.hopSize());
        return queryTriplets(peaks, durationFrames, all);
    }

    /**
     * The local peaks of some audio: every spectrogram cell of the band that reaches the peak threshold (the
     * floor, and the frame's mean plus the prominence) and tops its neighbours within {@code frameRadius} frames
     * and {@code binRadius} bins (the fingerprints' own peaks must top a far wider neighbourhood). Under speech
     * or noise a track's peaks seldom top the wide neighbourhood but often still top a small one, so these show
     * a known placement of the track where the fingerprints' peaks do not; not used for fingerprints.
     *
     * @param pcm         mono audio at {@link FingerprintConfig#sampleRateHz()}
     * @param frameRadius half-width of the neighbourhood in frames, at least 1
     * @param binRadius   half-width of the neighbourhood in bins, at least 1
     * @return {frames, bins}: the peaks' frames and FFT bins (counted from bin 0 = 0 Hz), whole numbers, ordered
     *         by frame
     * @throws IllegalArgumentException if the sample rate differs from the configuration's or a radius is below 1
     */
    public float[][] localPeaks(Pcm pcm, int frameRadius, int binRadius) {
        if (frameRadius < 1 || binRadius < 1) {
            throw new IllegalArgumentException("frameRadius and binRadius must be >= 1");
        }
        float[] x = checkRate(pcm).samples();
        int n = config.fftSize();
        int hop = config.hopSize();
        if (x.length < n) {
            return new float[][] {new float[0], new float[0]};
        }
        int frames = (x.length - n) / hop + 1;
        Workspace ws = workspace.get();
        float[][] db = new float[frames][bins];
        float[] threshold = new float[frames];
        for (int t = 0; t < frames; t++) {
            spectrum(x, t * hop, ws, db[t], null);
            threshold[t] = (float) Math.max(peakFloorDb, sum(db[t]) / bins + peakProminenceDb);
        }
        float[] peakFrames = new float[Math.max(16, frames * 8)];
        float[] peakBins = new float[peakFrames.length];
        int count = 0;
        for (int t = 0; t < frames; t++) {
            float[] row = db[t];
            for (int f = 0; f < bins; f++) {
                float v = row[f];
                if (v < threshold[t]) {
                    continue;
                }
                boolean isMax = true;
                for (int u = Math.max(0, t - frameRadius); u <= Math.min(frames - 1, t + frameRadius) && isMax; u++) {
                    float[] r = db[u];
                    for (int g = Math.max(0, f - binRadius); g <= Math.min(bins - 1, f + binRadius); g++) {
                        if (r[g] > v) {
                            isMax = false;
                            break;
                        }
                    }
                }
                if (isMax) {
                    if (count == peakFrames.length) {
                        peakFrames = Arrays.copyOf(peakFrames, count * 2);
                        peakBins = Arrays.copyOf(peakBins, count * 2);
                    }
                    peakFrames[count] = t;
                    peakBins[count] = f + minBin;
                    count++;
                }
            }
        }
        return new float[][] {Arrays.copyOf(peakFrames, count), Arrays.copyOf(peakBins, count)};
    }

    private Pcm checkRate(Pcm pcm) {
        if (pcm.sampleRateHz() != config.sampleRateHz()) {
            throw new IllegalArgumentException("PCM is at " + pcm.sampleRateHz() + " Hz, the extractor expects "
                    + config.sampleRateHz() + " Hz: decode at the configured rate");
        }
        return pcm;
    }

    // ---- stage 1: spectrogram + peaks ----

    /*
     * A peak is a bin that reaches the threshold and the maximum of its neighbourhood: +-peakNeighbourhoodFrames
     * frames by +-peakNeighbourhoodBins bins, clamped to the audio and the band. The maximum is taken
     * in time first, by doubling over a ring of frames (each row of level j the maximum of 2^j
     * consecutive frames; frames outside the audio count as -infinity), which is vectorised by the JIT;
     * a bin is then a candidate when it reaches the threshold and tops its own column, and only
     * candidates are compared with the columns of the neighbouring bins. Maxima are exact and taken
     * with Math.max (a NaN anywhere in the neighbourhood still rules a peak out), so the peaks are
     * those of the direct definition, bit for bit; the frame's mean is still summed in bin order in
     * float, as the threshold depends on it to the last bit. Every fingerprint depends on this: see
     * FingerprintExtractorDigestTest and cli's ExtractionBench before changing any of it.
     */

    /** Streams over the frames; frame {@code t - peakNeighbourhoodFrames} is searched once frame t is in. */
    private Peaks findPeaks(float[] x) {
        int n = config.fftSize();
        int hop = config.hopSize();
        Peaks peaks = new Peaks();
        if (x.length < n) {
            return peaks;
        }
        int frames = (x.length - n) / hop + 1;
        Workspace ws = workspace.get();
        ws.reset();
        int margin = config.peakNeighbourhoodFrames();
        int mask = ws.mask;
        float[][][] lv = ws.timeLevels;
        int top = lv.length - 1;
        int k = 1 << top;  // frames covered by a row of the top level
        for (int t = 0; t < frames + margin; t++) {
            float[] row = lv[0][t & mask];
            if (t < frames) {
                // the previous frame's dB are summed while this frame's spectrum is taken
                float[] previous = t > 0 ? lv[0][(t - 1) & mask] : null;
                float previousSum = spectrum(x, t * hop, ws, row, previous);
                if (previous != null) {
                    ws.mean[(t - 1) & mask] = previousSum / bins;
                }
                if (t == frames - 1) {
                    ws.mean[t & mask] = sum(row) / bins;
                }
            } else {
                Arrays.fill(row, Float.NEGATIVE_INFINITY);
            }
            // level j at index t - 2^j + 1 from level j - 1 at t - 2^j + 1 and t - 2^(j-1) + 1
            for (int j = 1; j <= top; j++) {
                int h = 1 << (j - 1);
                max(lv[j - 1][(t - 2 * h + 1) & mask], lv[j - 1][(t - h + 1) & mask], lv[j][(t - 2 * h + 1) & mask]);
            }
            int u = t - margin;
            if (u >= 0) {
                // frames u - margin .. u + margin as two overlapping top-level rows
                max(lv[top][(u - margin) & mask], lv[top][(u + margin - k + 1) & mask], ws.column);
                emitPeaks(peaks, u, frames, ws);
            }
        }
        return peaks;
    }

    /** {@code out[f] = max(a[f], b[f])} over the band. */
    private void max(float[] a, float[] b, float[] out) {
        for (int f = 0; f < bins; f++) {
            out[f] = Math.max(a[f], b[f]);
        }
    }

    /** Peaks of frame u, given ws.column: the maximum of each bin over the frames around u. */
    private void emitPeaks(Peaks peaks, int u, int frames, Workspace ws) {
        int mask = ws.mask;
        float[][] db = ws.timeLevels[0];
        float[] row = db[u & mask];
        float[] column = ws.column;
        float[] padded = ws.paddedColumn;
        float threshold = (float) Math.max(peakFloorDb, ws.mean[u & mask] + peakProminenceDb);
        int radius = config.peakNeighbourhoodBins();
        System.arraycopy(column, 0, padded, radius, bins);
        boolean interpolateTime = u > 0 && u < frames - 1;
        for (int f = 0; f < bins; f++) {
            float v = row[f];
            if (!(v < threshold) & column[f] <= v) {
                // v tops its column and the threshold: does it top the neighbouring columns?
                // (nearest first: a candidate beside a stronger bin fails at once)
                int c = f + radius;
                boolean isMax = true;
                for (int d = 1; d <= radius; d++) {
                    if (!(padded[c - d] <= v) | !(padded[c + d] <= v)) {
                        isMax = false;
                        break;
                    }
                }
                if (isMax) {
                    float df = f > 0 && f < bins - 1 ? vertex(row[f - 1], v, row[f + 1]) : 0f;
                    float dt = interpolateTime ? vertex(db[(u - 1) & mask][f], v, db[(u + 1) & mask][f]) : 0f;
                    peaks.add(u, u + dt, f + minBin + df, v);
                }
            }
        }
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

    /**
     * Windowed FFT of one frame into dB (0 dB = full-scale sine, {@code 3.0103 * fastLog2(power)});
     * returns the sum of {@code previous} (in bin order, in float), 0 when null. The dB are bit for
     * bit {@link #fastLog2}'s, computed in two loops: the power's bits (scalar: the FFT's output
     * interleaves real and imaginary parts), then exponent, mantissa and polynomial in float
     * arithmetic on those bits (which the JIT vectorises); the serial sum of the previous frame rides
     * along the first loop.
     */
    private float spectrum(float[] x, int offset, Workspace ws, float[] outDb, float[] previous) {
        float[] buf = ws.buf;
        float[] win = window;
        int n = buf.length;
        System.arraycopy(x, offset, buf, 0, n);  // (a loop reading x at an offset is not vectorised)
        for (int i = 0; i < n; i++) {
            buf[i] = buf[i] * win[i];
        }
        ws.fft.realForward(buf);
        // A full-scale sine through a Hann window peaks at n/4.
        float norm = 1f / ((n / 4f) * (n / 4f));
        int[] bits = ws.bits;
        float sum = 0;
        if (previous == null) {
            for (int f = 0; f < bins; f++) {
                int k = f + minBin;
                float re = buf[2 * k];
                float im = buf[2 * k + 1];
                bits[f] = Float.floatToRawIntBits((re * re + im * im) * norm + 1e-12f);
            }
        } else {
            for (int f = 0; f < bins; f++) {
                int k = f + minBin;
                float re = buf[2 * k];
                float im = buf[2 * k + 1];
                bits[f] = Float.floatToRawIntBits((re * re + im * im) * norm + 1e-12f);
                sum += previous[f];
            }
        }
        for (int f = 0; f < bins; f++) {
            int b = bits[f];
            // fastLog2: the exponent and the mantissa in [1, 2) exactly (a 23-bit integer scaled by 2^-23)
            float exponent = ((b >>> 23) & 0xff) - 127;
            float m = 1f + (b & 0x007fffff) * 0x1p-23f;
            float p = -1.7417939f + (2.8212026f + (-1.4699568f + (0.44717955f - 0.056570851f * m) * m) * m) * m;
            outDb[f] = 3.0103f * (exponent + p);
        }
        return sum;
    }

    /** The sum of a frame's dB in bin order, in float. */
    private float sum(float[] db) {
        float sum = 0;
        for (int f = 0; f < bins; f++) {
            sum += db[f];
        }
        return sum;
    }

    /** log2(x) for positive normal floats, absolute error below 1e-4 (exponent + quartic on the mantissa). */
    static float fastLog2(float x) {
        int bits = Float.floatToRawIntBits(x);
        int exponent = ((bits >>> 23) & 0xff) - 127;
        float m = Float.intBitsToFloat((bits & 0x007fffff) | 0x3f800000);
        float p = -1.7417939f + (2.8212026f + (-1.4699568f + (0.44717955f - 0.056570851f * m) * m) * m) * m;
        return exponent + p;
    }

    /** Per-thread working memory of stage 1: the FFT, one frame's buffer and the ring of frames. */
    private final class Workspace {
        final FloatFFT_1D fft = new FloatFFT_1D(config.fftSize());
        final float[] buf = new float[config.fftSize()];
        /** One frame's power in the band, as float bits. */
        final int[] bits = new int[bins];
        /**
         * timeLevels[j][index & mask]: per bin, the maximum dB of the 2^j frames from that index on;
         * level 0 holds the frames' dB.
         */
        final float[][][] timeLevels;
        /** The mean dB over the band of the frames in the ring. */
        final float[] mean;
        /** Per bin, the maximum dB over the frames around the frame being searched. */
        final float[] column;
        /** The same, between peakNeighbourhoodBins of -infinity on either side. */
        final float[] paddedColumn;
        final int mask;

        Workspace() {
            int margin = config.peakNeighbourhoodFrames();
            int size = Integer.highestOneBit(2 * margin + 2) * 2;  // > 2 margin + 2 frames
            mask = size - 1;
            int levels = 32 - Integer.numberOfLeadingZeros(2 * margin + 1);  // 2^(levels-1) <= 2 margin + 1
            timeLevels = new float[levels][size][bins];
            mean = new float[size];
            column = new float[bins];
            paddedColumn = new float[bins + 2 * config.peakNeighbourhoodBins()];
            Arrays.fill(paddedColumn, Float.NEGATIVE_INFINITY);
        }

        /** Every row of the ring to -infinity (the frames before the first). */
        void reset() {
            for (float[][] level : timeLevels) {
                for (float[] row : level) {
                    Arrays.fill(row, Float.NEGATIVE_INFINITY);
                }
            }
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

    /*
     * A triplet (a, b, c) joins anchor a with two of its first partners b < c. Its features, in
     * quantisation units (level = floor of the value, clamped):
     *   ratio1 = (log2 bin[b] - log2 bin[a] + targetZoneMaxOctaves) * ratioLevelsPerOctave, ratio2 likewise for c,
     *   timeRatio = (time[b] - time[a]) / span * timeRatioLevels (in float), span = time[c] - time[a] (float),
     *   anchorBand = octaves(a) * anchorBandsPerOctave, octaves(a) = log2(bin[a] * hzPerBin / minFrequencyHz),
     *   spanBand = log2(span) * spanBandsPerOctave, pitch = octaves(a) * pitchStepsPerOctave;
     * degenerate when frame[c] <= frame[b] or span <= 0.5 frame. What depends on the anchor alone, on
     * (a, b) or on (a, c) is computed once for all the triplets that share it.
     */

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

    /** log2 of each peak's (interpolated) bin. */
    private static double[] log2Bins(Peaks p) {
        double[] lb = new double[p.size];
        for (int i = 0; i < p.size; i++) {
            lb[i] = log2(p.bin[i]);
        }
        return lb;
    }

    /** Octaves of the peak above the band's lowest frequency. */
    private double octaves(Peaks p, int a) {
        return Math.log(p.bin[a] * hzPerBin / config.minFrequencyHz()) / LOG2;
    }

    /** Fills {@code chosen} with a's first partners in the target zone (at most chosen.length); returns how many. */
    private int partners(Peaks p, int a, double[] lb, int[] chosen) {
        int minDt = config.targetZoneMinDtFrames();
        int maxDt = config.targetZoneMaxDtFrames();
        double maxOct = config.targetZoneMaxOctaves();
        int n = 0;
        double la = lb[a];
        int fa = p.frame[a];
        for (int b = a + 1; b < p.size && n < chosen.length; b++) {
            int dt = p.frame[b] - fa;
            if (dt > maxDt) {
                break;
            }
            if (dt < minDt || Math.abs(lb[b] - la) > maxOct) {
                continue;
            }
            chosen[n++] = b;
        }
        return n;
    }

    private Fingerprints referenceTriplets(Peaks p) {
        int partners = config.referenceTargetPeaks();
        int cap = Math.max(16, p.size * partners * (partners - 1) / 2);
        int[] hashes = new int[cap];
        int[] frames = new int[cap];
        byte[] pitches = new byte[cap];
        int count = 0;
        double[] lb = log2Bins(p);
        int[] chosen = new int[partners];
        double maxOct = config.targetZoneMaxOctaves();
        double perOct = config.ratioLevelsPerOctave();
        int rl = config.ratioLevels();
        int tl = config.timeRatioLevels();
        int al = config.anchorBands();
        int sl = config.spanBands();
        int[] r2 = new int[partners];
        int[] sb = new int[partners];
        float[] spans = new float[partners];
        boolean sorted = true;
        for (int a = 0; a < p.size; a++) {
            int n = partners(p, a, lb, chosen);
            if (n < 2) {
                continue;
            }
            double la = lb[a];
            float ta = p.time[a];
            double octaves = octaves(p, a);
            int ab = level(octaves * config.anchorBandsPerOctave(), al);
            byte pitch = (byte) Math.max(0, Math.min(255, Math.round(octaves * config.pitchStepsPerOctave())));
            int frame = Math.max(0, Math.round(ta));
            for (int j = 1; j < n; j++) {
                int c = chosen[j];
                spans[j] = p.time[c] - ta;
                if (spans[j] > 0.5f) {
                    r2[j] = level((lb[c] - la + maxOct) * perOct, rl);
                    sb[j] = level(Math.log(spans[j]) / LOG2 * config.spanBandsPerOctave(), sl);
                }
            }
            for (int i = 0; i < n - 1; i++) {
                int b = chosen[i];
                int r1 = level((lb[b] - la + maxOct) * perOct, rl);
                float tb = p.time[b] - ta;
                for (int j = i + 1; j < n; j++) {
                    float span = spans[j];
                    if (p.frame[chosen[j]] <= p.frame[b] || span <= 0.5f) {
                        continue;
                    }
                    int tr = level(tb / span * tl, tl);
                    if (count > 0 && frame < frames[count - 1]) {
                        sorted = false;
                    }
                    hashes[count] = pack(r1, r2[j], tr, ab, sb[j]);
                    frames[count] = frame;
                    pitches[count] = pitch;
                    count++;
                }
            }
        }
        if (sorted) {
            return new Fingerprints(Arrays.copyOf(hashes, count), Arrays.copyOf(frames, count),
                    Arrays.copyOf(pitches, count));
        }
        // rounded interpolated times can step back by one frame: restore frame order (stable)
        long[] order = new long[count];
        for (int i = 0; i < count; i++) {
            order[i] = ((long) frames[i] << 32) | i;
        }
        Arrays.sort(order);
        int[] h = new int[count];
        int[] f = new int[count];
        byte[] pt = new byte[count];
        for (int i = 0; i < count; i++) {
            int j = (int) order[i];
            h[i] = hashes[j];
            f[i] = frames[j];
            pt[i] = pitches[j];
        }
        return new Fingerprints(h, f, pt);
    }

    private QueryFingerprints queryTriplets(Peaks p, int durationFrames, Peaks all) {
        int partners = config.queryTargetPeaks();
        int cap = Math.max(16, p.size * partners * (partners - 1) / 2);
        float[] starts = new float[cap];
        float[] ends = new float[cap];
        float[] pitches = new float[cap];
        int[] offsets = new int[cap + 1];
        int[] keys = new int[Math.max(16, cap * 4)];
        int keyCount = 0;
        int count = 0;
        double margin = config.quantisationMargin();
        double scaleOct = Math.log(1 + config.maxScaleDeviation()) / LOG2;
        double anchorDev = scaleOct * config.anchorBandsPerOctave() + 0.02;
        double spanDev = scaleOct * config.spanBandsPerOctave() + 0.02;
        double maxOct = config.targetZoneMaxOctaves();
        double perOct = config.ratioLevelsPerOctave();
        int rl = config.ratioLevels();
        int tl = config.timeRatioLevels();
        int al = config.anchorBands();
        int sl = config.spanBands();
        double[] lb = log2Bins(p);
        int[] chosen = new int[partners];
        int[] r2lo = new int[partners];
        int[] r2hi = new int[partners];
        int[] slo = new int[partners];
        int[] shi = new int[partners];
        float[] spans = new float[partners];
        for (int a = 0; a < p.size; a++) {
            int n = partners(p, a, lb, chosen);
            if (n < 2) {
                continue;
            }
            double la = lb[a];
            float ta = p.time[a];
            double octaves = octaves(p, a);
            double anchorBand = octaves * config.anchorBandsPerOctave();
            float pitch = (float) (octaves * config.pitchStepsPerOctave());
            int alo = level(anchorBand - anchorDev, al);
            int ahi = level(anchorBand + anchorDev, al);
            for (int j = 1; j < n; j++) {
                int c = chosen[j];
                spans[j] = p.time[c] - ta;
                if (spans[j] > 0.5f) {
                    double ratio2 = (lb[c] - la + maxOct) * perOct;
                    r2lo[j] = level(ratio2 - margin, rl);
                    r2hi[j] = level(ratio2 + margin, rl);
                    double spanBand = Math.log(spans[j]) / LOG2 * config.spanBandsPerOctave();
                    slo[j] = level(spanBand - spanDev, sl);
                    shi[j] = level(spanBand + spanDev, sl);
                }
            }
            for (int i = 0; i < n - 1; i++) {
                int b = chosen[i];
                double ratio1 = (lb[b] - la + maxOct) * perOct;
                int r1lo = level(ratio1 - margin, rl);
                int r1hi = level(ratio1 + margin, rl);
                float tb = p.time[b] - ta;
                for (int j = i + 1; j < n; j++) {
                    float span = spans[j];
                    int c = chosen[j];
                    if (p.frame[c] <= p.frame[b] || span <= 0.5f) {
                        continue;
                    }
                    double timeRatio = tb / span * tl;
                    int tlo = level(timeRatio - margin, tl);
                    int thi = level(timeRatio + margin, tl);
                    starts[count] = ta;
                    ends[count] = p.time[c];
                    pitches[count] = pitch;
                    int needed = (r1hi - r1lo + 1) * (r2hi[j] - r2lo[j] + 1) * (thi - tlo + 1) * (ahi - alo + 1)
                            * (shi[j] - slo[j] + 1);
                    if (keyCount + needed > keys.length) {
                        keys = Arrays.copyOf(keys, Math.max(keys.length * 2, keyCount + needed));
                    }
                    for (int r1 = r1lo; r1 <= r1hi; r1++) {
                        for (int r2 = r2lo[j]; r2 <= r2hi[j]; r2++) {
                            for (int tr = tlo; tr <= thi; tr++) {
                                for (int ab = alo; ab <= ahi; ab++) {
                                    for (int sb = slo[j]; sb <= shi[j]; sb++) {
                                        keys[keyCount++] = pack(r1, r2, tr, ab, sb);
                                    }
                                }
                            }
                        }
                    }
                    offsets[++count] = keyCount;
                }
            }
        }
        return new QueryFingerprints(Arrays.copyOf(starts, count), Arrays.copyOf(ends, count),
                Arrays.copyOf(pitches, count), Arrays.copyOf(offsets, count + 1), Arrays.copyOf(keys, keyCount),
                durationFrames, Arrays.copyOf(all.time, all.size), Arrays.copyOf(all.bin, all.size));
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
