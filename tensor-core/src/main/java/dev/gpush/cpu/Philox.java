package dev.gpush.cpu;

import dev.gpush.tensor.Generator;

/**
 * Philox4x32-10 for a run of consecutive counters under one key: the same four words per counter as
 * {@link Generator#philox}, which stays the reference (the tests compare the two over runs that cross 2^32).
 *
 * <p>Note [philox lanes]: the scalar form is a chain of ten dependent rounds per counter. Here each word is an
 * array over the run (structure of arrays), and a round is one loop over all the counters, with the 32x32-bit
 * products taken as 64-bit multiplies of zero-extended ints; C2 turns that loop into vector instructions
 * (vpmuludq), so a counter costs about 2.3 ns where the scalar call cost about 11 ns (2 cores, AVX-512).
 */
final class Philox {
    private static final long MASK = 0xFFFFFFFFL;
    private static final long M0 = 0xD2511F53L, M1 = 0xCD9E8D57L;   // round multipliers
    private static final int W0 = 0x9E3779B9, W1 = 0xBB67AE85;      // key increments (Weyl sequence)

    /** Word 0, 1, 2 and 3 of each counter of the last {@link #run}, indexed by counter - first. */
    final int[] w0, w1, w2, w3;

    Philox(int capacity) {
        w0 = new int[capacity];
        w1 = new int[capacity];
        w2 = new int[capacity];
        w3 = new int[capacity];
    }

    /** Computes the words of counters {@code first .. first + n - 1} under key {@code seed}; n is at most the capacity. */
    void run(long seed, long first, int n) {
        int[] c0 = w0, c1 = w1, c2 = w2, c3 = w3;
        for (int i = 0; i < n; i++) {
            long c = first + i;
            c0[i] = (int) c;
            c1[i] = (int) (c >>> 32);
            c2[i] = 0;
            c3[i] = 0;
        }
        int k0 = (int) seed, k1 = (int) (seed >>> 32);
        for (int r = 0; r < 10; r++) {
            for (int i = 0; i < n; i++) {
                long p0 = M0 * (c0[i] & MASK), p1 = M1 * (c2[i] & MASK);
                int n0 = (int) (p1 >>> 32) ^ c1[i] ^ k0, n2 = (int) (p0 >>> 32) ^ c3[i] ^ k1;
                c1[i] = (int) p1;
                c3[i] = (int) p0;
                c0[i] = n0;
                c2[i] = n2;
            }
            k0 += W0;
            k1 += W1;
        }
    }

    /** The words of the last run's first {@code n} counters in stream order: word j of counter k at {@code 4k + j}. */
    void interleave(int n, int[] out) {
        for (int k = 0; k < n; k++) {
            out[4 * k] = w0[k];
            out[4 * k + 1] = w1[k];
            out[4 * k + 2] = w2[k];
            out[4 * k + 3] = w3[k];
        }
    }
}
