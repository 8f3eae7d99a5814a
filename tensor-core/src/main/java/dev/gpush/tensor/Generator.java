package dev.gpush.tensor;

/**
 * A seedable source of random numbers: a seed and an offset into the Philox4x32-10 counter stream.
 *
 * <p>Note [counter-based randomness]: element {@code i} of a random fill is a pure function of
 * (seed, offset + i), so a fill parallelises without coordination and every device draws the same numbers for
 * the same seed: {@code randn(3, 3)} after {@code manualSeed(0)} is equal on the CPU and on a GPU.
 * Each fill advances the offset by the number of elements it draws.
 */
public final class Generator {
    private static final Generator DEFAULT = new Generator(defaultSeed());

    private long seed;
    private long offset;

    public Generator(long seed) { this.seed = seed; }

    /** The generator used when none is given. */
    public static Generator defaultGenerator() { return DEFAULT; }

    /** Seeds the default generator (PyTorch's {@code torch.manual_seed}). */
    public static void manualSeed(long seed) { DEFAULT.manualSeed_(seed); }

    public synchronized Generator manualSeed_(long seed) {
        this.seed = seed;
        this.offset = 0;
        return this;
    }

    public synchronized long seed() { return seed; }
    public synchronized long offset() { return offset; }

    /** Reserves {@code n} counters; returns {seed, first offset}. */
    public synchronized long[] reserve(long n) {
        long[] r = {seed, offset};
        offset += n;
        return r;
    }

    private static long defaultSeed() {
        return 67280421310721L; // PyTorch's default seed, so an unseeded session is reproducible too
    }

    // ---------------------------------------------------------------- Philox4x32-10

    private static final int M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /** The four 32-bit words of Philox4x32-10 for counter {@code ctr} and key {@code seed}, into {@code out}. */
    public static void philox(long seed, long ctr, int[] out) {
        int c0 = (int) ctr, c1 = (int) (ctr >>> 32), c2 = 0, c3 = 0;
        int k0 = (int) seed, k1 = (int) (seed >>> 32);
        for (int r = 0; r < 10; r++) {
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            c1 = (int) p1;
            c3 = (int) p0;
            c0 = n0;
            c2 = n2;
            k0 += W0;
            k1 += W1;
        }
        out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
    }

    /** A double uniform in [0, 1) from two 32-bit words (53 random bits). */
    public static double uniform(int hi, int lo) {
        long bits = ((hi & 0xFFFFFFFFL) << 21) ^ ((lo & 0xFFFFFFFFL) >>> 11);
        return (bits & ((1L << 53) - 1)) * 0x1.0p-53;
    }
}
