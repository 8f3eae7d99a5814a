package dev.gpush.magics;

/** The Java heap, as the GPU magics show it without a GPU. */
final class Memory {

    private Memory() {}

    static long heapUsed() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    /** {@code used 1.2 GiB of 4.0 GiB (committed 2.0 GiB)}. */
    static String heap() {
        Runtime r = Runtime.getRuntime();
        return "used " + Sizes.bytes(heapUsed()) + " of " + Sizes.bytes(r.maxMemory()) + " (committed " + Sizes.bytes(r.totalMemory()) + ")";
    }
}
