package dev.gpush.cpu;

import dev.gpush.tensor.Tensor;

/** Gather, scatter and index selection on the CPU. */
final class CpuIndexing {
    private CpuIndexing() {}

    static void gather(Tensor out, Tensor a, int dim, Tensor index) { throw new UnsupportedOperationException("gather: in progress"); }
    static void scatter(Tensor out, int dim, Tensor index, Tensor src, boolean add) { throw new UnsupportedOperationException("scatter: in progress"); }
    static void indexSelect(Tensor out, Tensor a, int dim, Tensor index) { throw new UnsupportedOperationException("indexSelect: in progress"); }
    static void indexAdd(Tensor out, int dim, Tensor index, Tensor src) { throw new UnsupportedOperationException("indexAdd: in progress"); }
    static Tensor nonzero(Tensor a) { throw new UnsupportedOperationException("nonzero: in progress"); }
}
