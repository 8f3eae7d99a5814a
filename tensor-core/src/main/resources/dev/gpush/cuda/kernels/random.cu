// Random fills from Philox4x32-10, element for element the CPU backend's draws (CpuRandom, tensor/Generator):
// element i of a fill is a pure function of (seed, offset + i) (Note [counter-based randomness]).
// Note [four per counter] (CpuRandom): uniform and Bernoulli draws into any dtype but float64 take one 32-bit word,
// word e % 4 of counter e / 4, keeping its top 24 bits; float64 draws and normals take counter e whole.
// Values are computed in double and rounded once when stored, as on the CPU, so uniform, Bernoulli and integer
// fills match the CPU bit for bit; normals differ only where CUDA's log/cos round differently from Java's (an ulp
// of double, invisible after rounding to float32 in all but rare cases).

// RandomOp ordinals
#define RND_UNIFORM 0
#define RND_NORMAL 1
#define RND_INTEGERS 2
#define RND_BERNOULLI 3

#define PHILOX_M0 0xD2511F53u
#define PHILOX_M1 0xCD9E8D57u
#define PHILOX_W0 0x9E3779B9u
#define PHILOX_W1 0xBB67AE85u

__device__ void gp_philox(unsigned long long seed, unsigned long long ctr, unsigned int* w) {
    unsigned int c0 = (unsigned int) ctr, c1 = (unsigned int) (ctr >> 32), c2 = 0, c3 = 0;
    unsigned int k0 = (unsigned int) seed, k1 = (unsigned int) (seed >> 32);
    for (int r = 0; r < 10; r++) {
        unsigned int hi0 = __umulhi(PHILOX_M0, c0), lo0 = PHILOX_M0 * c0;
        unsigned int hi1 = __umulhi(PHILOX_M1, c2), lo1 = PHILOX_M1 * c2;
        unsigned int n0 = hi1 ^ c1 ^ k0;
        unsigned int n2 = hi0 ^ c3 ^ k1;
        c1 = lo1;
        c3 = lo0;
        c0 = n0;
        c2 = n2;
        k0 += PHILOX_W0;
        k1 += PHILOX_W1;
    }
    w[0] = c0; w[1] = c1; w[2] = c2; w[3] = c3;
}

// Generator.uniform: 53 bits of two words, in [0, 1).
__device__ __forceinline__ double gp_uniform53(unsigned int hi, unsigned int lo) {
    unsigned long long bits = (((unsigned long long) hi) << 21) ^ (((unsigned long long) lo) >> 11);
    return (double) (bits & ((1ULL << 53) - 1)) / 9007199254740992.0;
}

// out is contiguous (its strides are not read); single is true unless out is float64.
extern "C" __global__ void random_fill(int op, int single, GpOperand out, long long n, double a, double b,
                                       unsigned long long seed, unsigned long long offset) {
    unsigned int w[4];
    GP_FOR_EACH(i, n) {
        unsigned long long e = offset + (unsigned long long) i;
        if (single && (op == RND_UNIFORM || op == RND_BERNOULLI)) {
            gp_philox(seed, e >> 2, w);
            double u = (double) (w[e & 3] >> 8) / 16777216.0;
            gp_store(out, i, op == RND_UNIFORM ? a + (b - a) * u : (u < a ? 1.0 : 0.0));
            continue;
        }
        gp_philox(seed, e, w);
        switch (op) {
            case RND_UNIFORM: gp_store(out, i, a + (b - a) * gp_uniform53(w[0], w[1])); break;
            case RND_NORMAL: {
                double u1 = 1 - gp_uniform53(w[0], w[1]);   // (0, 1]: the log is finite
                double u2 = gp_uniform53(w[2], w[3]);
                gp_store(out, i, a + b * sqrt(-2 * log(u1)) * cos(2 * 3.141592653589793 * u2));
                break;
            }
            case RND_INTEGERS:
                gp_store(out, i, (long long) a + (long long) floor(gp_uniform53(w[0], w[1]) * (b - a)));
                break;
            default: gp_store(out, i, gp_uniform53(w[0], w[1]) < a ? 1.0 : 0.0); break;
        }
    }
}
