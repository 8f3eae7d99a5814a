package dev.gpush.data;

/**
 * An order over a dataset: indices ({@code Sampler<Integer>}, PyTorch's {@code Sampler}) or lists of indices, one
 * per batch ({@code Sampler<List<Integer>>}, a batch sampler). Each {@link #iterator()} is a new epoch.
 */
public interface Sampler<E> extends Iterable<E> {
    /** The number of elements one epoch yields. */
    int size();
}
