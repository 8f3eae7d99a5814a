package dev.gpush.data;

/** The samples of {@code dataset} at the given indices, in that order (PyTorch's {@code Subset}). */
public final class Subset<T> implements Dataset<T> {
    private final Dataset<T> dataset;
    private final int[] indices;

    public Subset(Dataset<T> dataset, int... indices) {
        this.dataset = dataset;
        this.indices = indices.clone();
    }

    @Override public T get(int index) {
        if (index < 0 || index >= indices.length)
            throw new IndexOutOfBoundsException("index " + index + " is out of range for a Subset of size " + indices.length);
        return dataset.get(indices[index]);
    }

    @Override public int size() { return indices.length; }

    public Dataset<T> dataset() { return dataset; }

    /** The indices into {@link #dataset()}, a copy. */
    public int[] indices() { return indices.clone(); }
}
