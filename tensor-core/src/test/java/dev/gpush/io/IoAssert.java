package dev.gpush.io;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.function.Executable;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Assertions for file round trips: tensors equal bit for bit, and errors that name the file and the problem. */
final class IoAssert {
    private IoAssert() {}

    /** Same dtype, shape and values; floats compare by bits (NaN equals NaN, -0.0 differs from 0.0). */
    static void assertSameTensor(Tensor expected, Tensor actual) {
        assertEquals(expected.dtype(), actual.dtype(), "dtype");
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        if (expected.dtype().isFloatingPoint()) {
            double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
            for (int i = 0; i < e.length; i++)
                if (Double.doubleToLongBits(e[i]) != Double.doubleToLongBits(a[i]))
                    fail("element " + i + ": expected " + e[i] + " but got " + a[i]);
        } else {
            assertArrayEquals(expected.toLongArray(), actual.toLongArray(), "values");
        }
    }

    /** A tensor of {@code dtype} and {@code shape} holding exactly {@code values} (row-major). */
    static void assertTensor(DType dtype, int[] shape, double[] values, Tensor actual) {
        assertEquals(dtype, actual.dtype(), "dtype");
        assertArrayEquals(shape, actual.shape(), "shape");
        double[] a = actual.toDoubleArray();
        assertEquals(values.length, a.length, "element count");
        for (int i = 0; i < values.length; i++)
            if (Double.doubleToLongBits(values[i]) != Double.doubleToLongBits(a[i]))
                fail("element " + i + ": expected " + values[i] + " but got " + a[i]);
    }

    /** {@code body} fails with a {@link TensorFileException} for {@code file} whose message mentions {@code problem}. */
    static TensorFileException assertFileError(Path file, String problem, Executable body) {
        TensorFileException e = assertThrows(TensorFileException.class, body);
        assertEquals(file, e.file(), "the file the error names");
        assertTrue(e.getMessage().startsWith(file.toString()), "message starts with the file: " + e.getMessage());
        assertTrue(e.getMessage().contains(problem), "message should mention '" + problem + "': " + e.getMessage());
        return e;
    }
}
