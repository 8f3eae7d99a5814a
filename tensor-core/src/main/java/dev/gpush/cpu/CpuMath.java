package dev.gpush.cpu;

import dev.gpush.backend.BinaryOp;
import dev.gpush.backend.UnaryOp;

/** The arithmetic of each elementwise primitive over compute buffers; one loop per op so the JIT vectorises it. */
final class CpuMath {
    private CpuMath() {}

    private static final double SQRT1_2 = Math.sqrt(0.5);
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    static void unary(UnaryOp op, double[] x, double[] o, int n) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) o[i] = -x[i]; }
            case ABS -> { for (int i = 0; i < n; i++) o[i] = Math.abs(x[i]); }
            case SIGN -> { for (int i = 0; i < n; i++) o[i] = Math.signum(x[i]); }
            case RECIPROCAL -> { for (int i = 0; i < n; i++) o[i] = 1 / x[i]; }
            case EXP -> { for (int i = 0; i < n; i++) o[i] = Math.exp(x[i]); }
            case LOG -> { for (int i = 0; i < n; i++) o[i] = Math.log(x[i]); }
            case LOG1P -> { for (int i = 0; i < n; i++) o[i] = Math.log1p(x[i]); }
            case EXPM1 -> { for (int i = 0; i < n; i++) o[i] = Math.expm1(x[i]); }
            case SQRT -> { for (int i = 0; i < n; i++) o[i] = Math.sqrt(x[i]); }
            case RSQRT -> { for (int i = 0; i < n; i++) o[i] = 1 / Math.sqrt(x[i]); }
            case SIN -> { for (int i = 0; i < n; i++) o[i] = Math.sin(x[i]); }
            case COS -> { for (int i = 0; i < n; i++) o[i] = Math.cos(x[i]); }
            case TANH -> { for (int i = 0; i < n; i++) o[i] = Math.tanh(x[i]); }
            case SIGMOID -> { for (int i = 0; i < n; i++) o[i] = 1 / (1 + Math.exp(-x[i])); }
            case ERF -> { for (int i = 0; i < n; i++) o[i] = Erf.erf(x[i]); }
            // max(x, +0) is x <= 0 ? 0 : x bit for bit (NaN stays NaN, -0 becomes +0), with no branch
            case RELU -> { for (int i = 0; i < n; i++) o[i] = Math.max(x[i], 0.0); }
            case GELU -> { for (int i = 0; i < n; i++) o[i] = 0.5 * x[i] * (1 + Erf.erf(x[i] * SQRT1_2)); }
            case GELU_TANH -> {
                for (int i = 0; i < n; i++) {
                    double v = x[i];
                    o[i] = 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v)));
                }
            }
            case SILU -> { for (int i = 0; i < n; i++) o[i] = x[i] / (1 + Math.exp(-x[i])); }
            // PyTorch's softplus(beta=1, threshold=20): linear above the threshold
            case SOFTPLUS -> { for (int i = 0; i < n; i++) o[i] = x[i] > 20 ? x[i] : Math.log1p(Math.exp(x[i])); }
            case FLOOR -> { for (int i = 0; i < n; i++) o[i] = Math.floor(x[i]); }
            case CEIL -> { for (int i = 0; i < n; i++) o[i] = Math.ceil(x[i]); }
            case ROUND -> { for (int i = 0; i < n; i++) o[i] = Math.rint(x[i]); }
            case TRUNC -> { for (int i = 0; i < n; i++) o[i] = x[i] < 0 ? Math.ceil(x[i]) : Math.floor(x[i]); }
            case LOGICAL_NOT -> { for (int i = 0; i < n; i++) o[i] = x[i] == 0 ? 1 : 0; }
            case ISNAN -> { for (int i = 0; i < n; i++) o[i] = x[i] != x[i] ? 1 : 0; }
        }
    }

    static void unary(UnaryOp op, long[] x, long[] o, int n) {
        switch (op) {
            case NEG -> { for (int i = 0; i < n; i++) o[i] = -x[i]; }
            case ABS -> { for (int i = 0; i < n; i++) o[i] = Math.abs(x[i]); }
            case SIGN -> { for (int i = 0; i < n; i++) o[i] = Long.signum(x[i]); }
            case RELU -> { for (int i = 0; i < n; i++) o[i] = Math.max(x[i], 0); }
            case FLOOR, CEIL, ROUND, TRUNC -> System.arraycopy(x, 0, o, 0, n);
            case LOGICAL_NOT -> { for (int i = 0; i < n; i++) o[i] = x[i] == 0 ? 1 : 0; }
            case ISNAN -> java.util.Arrays.fill(o, 0, n, 0);
            default -> throw new IllegalStateException(op + " computes in floating point");
        }
    }

    static void binary(BinaryOp op, double[] x, double[] y, double[] o, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[i] = x[i] + y[i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[i] = x[i] - y[i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[i] = x[i] * y[i]; }
            case DIV -> { for (int i = 0; i < n; i++) o[i] = x[i] / y[i]; }
            case POW -> { for (int i = 0; i < n; i++) o[i] = Math.pow(x[i], y[i]); }
            case MAXIMUM -> { for (int i = 0; i < n; i++) o[i] = Math.max(x[i], y[i]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) o[i] = Math.min(x[i], y[i]); }
            // Python's modulo: the result takes the divisor's sign. Java's % is C's fmod, which is exact, and
            // shifting it by the divisor is PyTorch's kernel (x - floor(x/y)*y loses digits and gives NaN for y=inf)
            case REMAINDER -> {
                for (int i = 0; i < n; i++) {
                    double m = x[i] % y[i];
                    o[i] = m != 0 && (m < 0) != (y[i] < 0) ? m + y[i] : m;
                }
            }
            case ATAN2 -> { for (int i = 0; i < n; i++) o[i] = Math.atan2(x[i], y[i]); }
            case EQ -> { for (int i = 0; i < n; i++) o[i] = x[i] == y[i] ? 1 : 0; }
            case NE -> { for (int i = 0; i < n; i++) o[i] = x[i] != y[i] ? 1 : 0; }
            case LT -> { for (int i = 0; i < n; i++) o[i] = x[i] < y[i] ? 1 : 0; }
            case LE -> { for (int i = 0; i < n; i++) o[i] = x[i] <= y[i] ? 1 : 0; }
            case GT -> { for (int i = 0; i < n; i++) o[i] = x[i] > y[i] ? 1 : 0; }
            case GE -> { for (int i = 0; i < n; i++) o[i] = x[i] >= y[i] ? 1 : 0; }
            case LOGICAL_AND -> { for (int i = 0; i < n; i++) o[i] = x[i] != 0 && y[i] != 0 ? 1 : 0; }
            case LOGICAL_OR -> { for (int i = 0; i < n; i++) o[i] = x[i] != 0 || y[i] != 0 ? 1 : 0; }
            case LOGICAL_XOR -> { for (int i = 0; i < n; i++) o[i] = (x[i] != 0) != (y[i] != 0) ? 1 : 0; }
        }
    }

    static void binary(BinaryOp op, long[] x, long[] y, long[] o, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[i] = x[i] + y[i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[i] = x[i] - y[i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[i] = x[i] * y[i]; }
            case POW -> {
                for (int i = 0; i < n; i++) {
                    if (y[i] < 0) throw new IllegalArgumentException("integers to negative integer powers are not allowed");
                    long r = 1, b = x[i];
                    for (long e = y[i]; e > 0; e >>= 1, b *= b) if ((e & 1) != 0) r *= b;
                    o[i] = r;
                }
            }
            case MAXIMUM -> { for (int i = 0; i < n; i++) o[i] = Math.max(x[i], y[i]); }
            case MINIMUM -> { for (int i = 0; i < n; i++) o[i] = Math.min(x[i], y[i]); }
            case REMAINDER -> {
                for (int i = 0; i < n; i++) {
                    if (y[i] == 0) throw new ArithmeticException("remainder: integer division by zero");
                    o[i] = Math.floorMod(x[i], y[i]);
                }
            }
            case EQ -> { for (int i = 0; i < n; i++) o[i] = x[i] == y[i] ? 1 : 0; }
            case NE -> { for (int i = 0; i < n; i++) o[i] = x[i] != y[i] ? 1 : 0; }
            case LT -> { for (int i = 0; i < n; i++) o[i] = x[i] < y[i] ? 1 : 0; }
            case LE -> { for (int i = 0; i < n; i++) o[i] = x[i] <= y[i] ? 1 : 0; }
            case GT -> { for (int i = 0; i < n; i++) o[i] = x[i] > y[i] ? 1 : 0; }
            case GE -> { for (int i = 0; i < n; i++) o[i] = x[i] >= y[i] ? 1 : 0; }
            case LOGICAL_AND -> { for (int i = 0; i < n; i++) o[i] = x[i] != 0 && y[i] != 0 ? 1 : 0; }
            case LOGICAL_OR -> { for (int i = 0; i < n; i++) o[i] = x[i] != 0 || y[i] != 0 ? 1 : 0; }
            case LOGICAL_XOR -> { for (int i = 0; i < n; i++) o[i] = (x[i] != 0) != (y[i] != 0) ? 1 : 0; }
            case DIV, ATAN2 -> throw new IllegalStateException(op + " computes in floating point");
        }
    }
}
