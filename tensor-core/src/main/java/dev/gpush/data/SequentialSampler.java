package dev.gpush.data;

import java.util.Iterator;
import java.util.function.IntSupplier;
import java.util.stream.IntStream;

/** Indices {@code 0, 1, ..., size-1} in order (PyTorch's {@code SequentialSampler}). */
public final class SequentialSampler implements Sampler<Integer> {
    private final IntSupplier size;

    /** Over {@code dataset}, whose size is read at each epoch. */
    public SequentialSampler(Dataset<?> dataset) { this.size = dataset::size; }

    public SequentialSampler(int size) {
        if (size < 0) throw new IllegalArgumentException("SequentialSampler: size must be >= 0, got " + size);
        this.size = () -> size;
    }

    @Override public Iterator<Integer> iterator() { return IntStream.range(0, size.getAsInt()).iterator(); }

    @Override public int size() { return size.getAsInt(); }
}
