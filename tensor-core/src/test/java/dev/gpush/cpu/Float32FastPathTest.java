package dev.gpush.cpu;

import dev.gpush.backend.BinaryOp;
import dev.gpush.backend.UnaryOp;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Note [float32 fast path]: the float loops give the same bits as the double computation rounded to float32 (the
 * float64 path of the same op, then a cast), special values included, for every operand layout they take.
 */
class Float32FastPathTest {
    private static final float[] SPECIAL = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f,
            1e-40f, -1e-40f, Float.MAX_VALUE, -Float.MIN_VALUE, 1, -1};

    /** randn * 3 of the shape, with the special values written over its first elements. */
    private static Tensor values(long seed, int... shape) {
        Tensor.manualSeed(seed);
        float[] v = Tensor.randn(shape).mul(3).toFloatArray();
        for (int i = 0; i < Math.min(v.length, SPECIAL.length); i++) v[(int) ((i * 7919L + seed) % v.length)] = SPECIAL[i];
        return Tensor.of(v).reshape(shape);
    }

    private static Tensor run(BinaryOp op, Tensor a, Tensor b, DType out) {
        int[] shape = Shapes.broadcast(a.shapeRef(), b.shapeRef());
        Tensor o = Tensor.empty(shape, out, Device.CPU);
        Elementwise.binary(op, o, a.expand(shape), b.expand(shape));
        return o;
    }

    private static void assertBinaryMatchesDouble(Tensor a, Tensor b) {
        for (BinaryOp op : new BinaryOp[]{BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.MAXIMUM,
                BinaryOp.MINIMUM}) {
            Tensor want = run(op, a.to(DType.FLOAT64), b.to(DType.FLOAT64), DType.FLOAT64).to(DType.FLOAT32);
            assertArrayEquals(want.toFloatArray(), run(op, a, b, DType.FLOAT32).toFloatArray(),
                    op + " of " + Shapes.str(a.shapeRef()) + " and " + Shapes.str(b.shapeRef()));
        }
        for (BinaryOp op : new BinaryOp[]{BinaryOp.EQ, BinaryOp.NE, BinaryOp.LT, BinaryOp.LE, BinaryOp.GT, BinaryOp.GE}) {
            Tensor want = run(op, a.to(DType.FLOAT64), b.to(DType.FLOAT64), DType.BOOL);
            assertArrayEquals(want.toLongArray(), run(op, a, b, DType.BOOL).toLongArray(),
                    op + " of " + Shapes.str(a.shapeRef()) + " and " + Shapes.str(b.shapeRef()));
        }
    }

    @Test void contiguousOperandsMatchTheDoubleLoop() {
        assertBinaryMatchesDouble(values(1, 70, 1000), values(2, 70, 1000));  // more than one parallel task
    }

    @Test void scalarOperandMatchesTheDoubleLoop() {
        for (float c : new float[]{0, -0f, 2.5f, Float.NaN, Float.POSITIVE_INFINITY})
            assertBinaryMatchesDouble(values(3, 70, 1000), Tensor.of(new float[]{c}).reshape());
    }

    @Test void repeatedRowAndBlockMatchTheDoubleLoop() {
        assertBinaryMatchesDouble(values(4, 300, 256), values(5, 256));          // a bias row over every row
        assertBinaryMatchesDouble(values(6, 40, 30, 50), values(7, 1, 30, 50));  // a repeated 30 x 50 block
        assertBinaryMatchesDouble(values(8, 40, 30, 50), values(9, 30, 1));      // not a block: the double loop
    }

    /** A contiguous view that starts {@code skip} elements into its storage. */
    private static Tensor offset(long seed, int skip, int... shape) {
        return values(seed, Shapes.numel(shape) + skip).narrow(0, skip, Shapes.numel(shape)).reshape(shape);
    }

    @Test void operandsAtDifferentOffsetsGoThroughScratchStripsAndAgree() {
        assertBinaryMatchesDouble(offset(20, 3, 70, 1000), offset(21, 5, 70, 1000));
        assertBinaryMatchesDouble(offset(22, 3, 70, 1000), values(23, 1000));
        assertBinaryMatchesDouble(offset(24, 1, 70, 1000), Tensor.of(new float[]{1.5f}).reshape());
        Tensor a = offset(25, 7, 70, 1000);
        for (UnaryOp op : new UnaryOp[]{UnaryOp.NEG, UnaryOp.RELU, UnaryOp.RECIPROCAL}) {
            Tensor want = Tensor.empty(a.shape(), DType.FLOAT64, Device.CPU), got = Tensor.emptyLike(a);
            Elementwise.unary(op, want, a.to(DType.FLOAT64));
            Elementwise.unary(op, got, a);
            assertArrayEquals(want.to(DType.FLOAT32).toFloatArray(), got.toFloatArray(), op.toString());
        }
    }

    @Test void stridedOperandsTakeTheDoubleLoopAndAgree() {
        assertBinaryMatchesDouble(values(10, 300, 200).t(), values(11, 200, 300));
        assertBinaryMatchesDouble(values(12, 200, 300), values(13, 300, 200).t());
    }

    @Test void exactUnaryOpsMatchTheDoubleLoop() {
        Tensor a = values(14, 70, 1000);
        for (UnaryOp op : new UnaryOp[]{UnaryOp.NEG, UnaryOp.ABS, UnaryOp.RELU, UnaryOp.SQRT, UnaryOp.RECIPROCAL}) {
            Tensor want = Tensor.empty(a.shape(), DType.FLOAT64, Device.CPU), got = Tensor.emptyLike(a);
            Elementwise.unary(op, want, a.to(DType.FLOAT64));
            Elementwise.unary(op, got, a);
            assertArrayEquals(want.to(DType.FLOAT32).toFloatArray(), got.toFloatArray(), op.toString());
        }
    }

    @Test void permutedCopyAndBoolCastMatchElementByElement() {
        Tensor a = values(15, 8, 64, 32), p = a.permute(2, 0, 1);
        Tensor c = Tensor.empty(p.shape(), DType.FLOAT32, Device.CPU);
        Elementwise.copy(c, p);
        float[] av = a.toFloatArray(), cv = c.toFloatArray();
        for (int i = 0; i < 32; i++)
            for (int j = 0; j < 8; j++)
                for (int k = 0; k < 64; k++)
                    assertEquals(av[(j * 64 + k) * 32 + i], cv[(i * 8 + j) * 64 + k], "element " + i + "," + j + "," + k);
        Tensor heads = values(16, 4, 64, 8, 32).permute(0, 2, 1, 3), h = Tensor.empty(heads.shape(), DType.FLOAT32, Device.CPU);
        Elementwise.copy(h, heads);   // rows of 32 stay contiguous: copied row by row
        assertArrayEquals(heads.to(DType.FLOAT64).contiguous().to(DType.FLOAT32).toFloatArray(), h.toFloatArray());
        Tensor mask = a.gt(0), f = Tensor.emptyLike(a);
        Elementwise.copy(f, mask);
        float[] fv = f.toFloatArray();
        for (int i = 0; i < av.length; i++) assertEquals(av[i] > 0 ? 1f : 0f, fv[i], "mask element " + i);
    }
}
