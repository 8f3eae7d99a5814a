package dev.gpush.tensor;

import java.util.Arrays;

/** Shape and stride arithmetic, and the wording of shape errors. */
public final class Shapes {
    private Shapes() {}

    public static int numel(int[] shape) {
        long n = 1;
        for (int s : shape) n *= s;
        if (n > Integer.MAX_VALUE)
            throw new IllegalArgumentException("tensor of shape " + str(shape) + " has " + n
                    + " elements; a CPU tensor holds at most " + Integer.MAX_VALUE);
        return (int) n;
    }

    public static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return st;
    }

    /** Row-major contiguous; dims of size 1 may have any stride. */
    public static boolean isContiguous(int[] shape, int[] strides) {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 0) return true;
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    public static int wrapDim(int dim, int rank) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r)
            throw new IndexOutOfBoundsException("dimension out of range (expected to be in range of [" + (-r) + ", "
                    + (r - 1) + "], but got " + dim + ")");
        return dim < 0 ? dim + r : dim;
    }

    /** Distinct, wrapped dims; null means all dims. */
    public static int[] wrapDims(int[] dims, int rank) {
        if (dims == null) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) all[i] = i;
            return all;
        }
        int[] r = new int[dims.length];
        boolean[] seen = new boolean[Math.max(rank, 1)];
        for (int i = 0; i < dims.length; i++) {
            r[i] = wrapDim(dims[i], rank);
            if (seen[r[i]]) throw new IllegalArgumentException("dim " + r[i] + " appears multiple times in the list of dims");
            seen[r[i]] = true;
        }
        Arrays.sort(r);
        return r;
    }

    /** NumPy broadcasting of two shapes, with an error naming both and the dim at fault. */
    public static int[] broadcast(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1)
                throw new IllegalArgumentException("shapes " + str(a) + " and " + str(b) + " cannot be broadcast: "
                        + "the size of dim " + (i - n) + " is " + da + " in the first and " + db + " in the second");
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Strides that read a tensor of {@code shape}/{@code strides} as if it had the broadcast {@code target} shape. */
    public static int[] broadcastStrides(int[] shape, int[] strides, int[] target) {
        int[] r = new int[target.length];
        int lead = target.length - shape.length;
        for (int i = 0; i < target.length; i++) {
            if (i < lead) continue;
            int s = shape[i - lead];
            if (s == target[i]) r[i] = strides[i - lead];
            else if (s != 1)
                throw new IllegalArgumentException("the expanded size of the tensor (" + target[i] + ") must match the "
                        + "existing size (" + s + ") at non-singleton dimension " + i + ". Target sizes: " + str(target)
                        + ". Tensor sizes: " + str(shape));
        }
        return r;
    }

    public static String str(int[] shape) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : ", ").append(shape[i]);
        return sb.append(']').toString();
    }
}
