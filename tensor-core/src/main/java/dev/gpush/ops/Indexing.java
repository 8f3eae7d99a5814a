package dev.gpush.ops;

import dev.gpush.tensor.Tensor;

/** Indexing ops: selection by index tensors and masks, gather/scatter, one-hot, triangles. */
public final class Indexing {
    private Indexing() {}

    public static Tensor indexSelect(Tensor a, int dim, Tensor index) { throw new UnsupportedOperationException("in progress"); }
    public static Tensor gather(Tensor a, int dim, Tensor index) { throw new UnsupportedOperationException("in progress"); }
    public static Tensor scatter(Tensor a, int dim, Tensor index, Tensor src) { throw new UnsupportedOperationException("in progress"); }
    public static Tensor scatterAdd(Tensor a, int dim, Tensor index, Tensor src) { throw new UnsupportedOperationException("in progress"); }
    public static Tensor indexAdd(Tensor a, int dim, Tensor index, Tensor src) { throw new UnsupportedOperationException("in progress"); }
    public static Tensor maskedFill(Tensor a, Tensor mask, Number value) { throw new UnsupportedOperationException("in progress"); }
    public static Tensor maskedSelect(Tensor a, Tensor mask) { throw new UnsupportedOperationException("in progress"); }
    public static Tensor index(Tensor a, Tensor index) { throw new UnsupportedOperationException("in progress"); }
    public static Tensor nonzero(Tensor a) { throw new UnsupportedOperationException("in progress"); }
    public static Tensor tril(Tensor a, int diagonal) { throw new UnsupportedOperationException("in progress"); }
    public static Tensor triu(Tensor a, int diagonal) { throw new UnsupportedOperationException("in progress"); }
    public static Tensor oneHot(Tensor a, int numClasses) { throw new UnsupportedOperationException("in progress"); }
}
