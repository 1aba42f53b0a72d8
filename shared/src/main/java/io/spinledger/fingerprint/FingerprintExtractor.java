package io.spinledger.fingerprint;

import io.spinledger.audio.Pcm;
import org.jtransforms.fft.FloatFFT_1D;

import java.util.Arrays;

/**
 * Turns mono PCM into landmark {@link Fingerprints}: STFT with a Hann window (JTransforms), spectral
 * peaks that top a time-frequency max filter, exceed an absolute floor and stand out from their
 * frame's mean level, at most {@link FingerprintConfig#maxPeaksPerSecond()} per second; then each
 * peak is paired with up to {@link FingerprintConfig#fanOut()} later peaks in its target zone.
 *
 * <p>Memory is bounded: the spectrogram is computed in blocks of frames, so an hour of audio costs
 * the same working memory as a minute (plus the output). Thread-safe; instances are cheap.
 */
public final class FingerprintExtractor {
    private static final int BLOCK_FRAMES = 1024;

    private final FingerprintConfig config;
    private final float[] window;
    private final int minBin;
    private final int bins;
    private final ThreadLocal<FloatFFT_1D> fft;
    private final ThreadLocal<float[]> scratch;
    private final ThreadLocal<float[]> scratchPrefix;
    private final ThreadLocal<float[]> scratchSuffix;

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
        this.fft = ThreadLocal.withInitial(() -> new FloatFFT_1D(n));
        int padded = bins + 2 * config.peakNeighbourhoodBins();
        this.scratch = ThreadLocal.withInitial(() -> new float[padded]);
        this.scratchPrefix = ThreadLocal.withInitial(() -> new float[padded]);
        this.scratchSuffix = ThreadLocal.withInitial(() -> new float[padded]);
    }

    /** The tunables this extractor uses. */
    public FingerprintConfig config() {
        return config;
    }

    /**
     * Extracts the fingerprints of some audio.
     *
     * @param pcm mono audio at {@link FingerprintConfig#sampleRateHz()}
     * @return fingerprints ordered by anchor frame; empty for silence or audio shorter than one window
     * @throws IllegalArgumentException if the sample rate differs from the configuration's
     */
    public Fingerprints extract(Pcm pcm) {
        if (pcm.sampleRateHz() != config.sampleRateHz()) {
            throw new IllegalArgumentException("PCM is at " + pcm.sampleRateHz() + " Hz, the extractor expects "
                    + config.sampleRateHz() + " Hz: decode at the configured rate");
        }
        Peaks peaks = findPeaks(pcm.samples());
        peaks = capDensity(peaks);
        return pair(peaks);
    }

    /**
     * Extracts the fingerprints of a query (a chunk): the audio is analysed at
     * {@link FingerprintConfig#queryShifts()} sub-hop start offsets and the hashes pooled
     * (duplicates removed), because a chunk cut half a hop off the reference's frame grid otherwise
     * keeps only about a third of the reference's hashes. Frames are rounded to the nearest
     * unshifted frame. Costs {@code queryShifts} extractions.
     *
     * @param pcm mono audio at {@link FingerprintConfig#sampleRateHz()}
     * @return pooled fingerprints ordered by frame
     * @throws IllegalArgumentException if the sample rate differs from the configuration's
     */
    public Fingerprints extractQuery(Pcm pcm) {
        int shifts = config.queryShifts();
        if (shifts == 1) {
            return extract(pcm);
        }
        int hop = config.hopSize();
        float[] x = pcm.samples();
        long[] keys = new long[0];
        int size = 0;
        for (int s = 0; s < shifts; s++) {
            int offset = s * hop / shifts;
            Fingerprints f = extract(new Pcm(Arrays.copyOfRange(x, Math.min(offset, x.length), x.length),
                    pcm.sampleRateHz()));
            int frameShift = 2 * offset >= hop ? 1 : 0;
            keys = Arrays.copyOf(keys, size + f.size());
            for (int i = 0; i < f.size(); i++) {
                keys[size++] = ((long) (f.frames()[i] + frameShift) << 32) | f.hashes()[i];
            }
        }
        Arrays.sort(keys, 0, size);
        int[] hashes = new int[size];
        int[] frames = new int[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (i > 0 && keys[i] == keys[i - 1]) {
                continue;
            }
            frames[n] = (int) (keys[i] >>> 32);
            hashes[n] = (int) keys[i];
            n++;
        }
        return new Fingerprints(Arrays.copyOf(hashes, n), Arrays.copyOf(frames, n));
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
        int rows = BLOCK_FRAMES + 2 * margin;
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
                        peaks.add(t, f + minBin, v);
                    }
                }
            }
        }
        return peaks;
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
        double sum = 0;
        for (int f = 0; f < bins; f++) {
            int k = f + minBin;
            float re = buf[2 * k];
            float im = buf[2 * k + 1];
            float v = (float) (10.0 * Math.log10((re * re + im * im) * norm + 1e-12f));
            outDb[f] = v;
            sum += v;
        }
        return (float) (sum / bins);
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
        // window over padded[f .. f + w - 1] is centred on bin f
        for (int f = 0; f < bins; f++) {
            out[f] = Math.max(suffix[f], prefix[f + w - 1]);
        }
    }

    // ---- stage 2: density cap ----

    /** Keeps the strongest {@code maxPeaksPerSecond} peaks in each one-second run of frames. */
    private Peaks capDensity(Peaks peaks) {
        int perBucket = config.maxPeaksPerSecond();
        int bucketFrames = Math.max(1, (int) Math.round((double) config.sampleRateHz() / config.hopSize()));
        Peaks kept = new Peaks();
        int i = 0;
        while (i < peaks.size) {
            int bucket = peaks.frame[i] / bucketFrames;
            int j = i;
            while (j < peaks.size && peaks.frame[j] / bucketFrames == bucket) {
                j++;
            }
            if (j - i <= perBucket) {
                for (int k = i; k < j; k++) {
                    kept.add(peaks.frame[k], peaks.bin[k], peaks.db[k]);
                }
            } else {
                float cut = kthLargest(peaks.db, i, j, perBucket);
                int budget = perBucket;
                // strictly above the cut first, then ties at the cut, in time order
                for (int k = i; k < j; k++) {
                    if (peaks.db[k] > cut) {
                        budget--;
                    }
                }
                for (int k = i; k < j; k++) {
                    boolean keep = peaks.db[k] > cut || (peaks.db[k] == cut && budget-- > 0);
                    if (keep) {
                        kept.add(peaks.frame[k], peaks.bin[k], peaks.db[k]);
                    }
                }
            }
            i = j;
        }
        return kept;
    }

    private static float kthLargest(float[] values, int from, int to, int k) {
        float[] copy = Arrays.copyOfRange(values, from, to);
        Arrays.sort(copy);
        return copy[copy.length - k];
    }

    // ---- stage 3: landmark pairs -> hashes ----

    private Fingerprints pair(Peaks p) {
        int fanOut = config.fanOut();
        int minDt = config.targetZoneMinDtFrames();
        int maxDt = config.targetZoneMaxDtFrames();
        int maxDf = config.targetZoneMaxDfBins();
        int[] hashes = new int[Math.max(16, p.size * fanOut)];
        int[] frames = new int[hashes.length];
        int count = 0;
        for (int a = 0; a < p.size; a++) {
            int made = 0;
            for (int b = a + 1; b < p.size && made < fanOut; b++) {
                int dt = p.frame[b] - p.frame[a];
                if (dt > maxDt) {
                    break;
                }
                int df = p.bin[b] - p.bin[a];
                if (dt < minDt || Math.abs(df) > maxDf) {
                    continue;
                }
                hashes[count] = hash(p.bin[a], df, dt);
                frames[count] = p.frame[a];
                count++;
                made++;
            }
        }
        return new Fingerprints(Arrays.copyOf(hashes, count), Arrays.copyOf(frames, count));
    }

    /** Packs an anchor bin (9 bits), a frequency delta (7 bits, offset by 64) and a time delta (6 bits). */
    static int hash(int anchorBin, int deltaBins, int deltaFrames) {
        return (anchorBin << 13) | ((deltaBins + 64) << 6) | deltaFrames;
    }

    /** Peaks in (frame, bin) order as growable parallel arrays. */
    private static final class Peaks {
        int[] frame = new int[256];
        int[] bin = new int[256];
        float[] db = new float[256];
        int size;

        void add(int f, int b, float v) {
            if (size == frame.length) {
                frame = Arrays.copyOf(frame, size * 2);
                bin = Arrays.copyOf(bin, size * 2);
                db = Arrays.copyOf(db, size * 2);
            }
            frame[size] = f;
            bin[size] = b;
            db[size] = v;
            size++;
        }
    }
}
