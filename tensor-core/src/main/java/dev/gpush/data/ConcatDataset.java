package dev.gpush.data;

import java.util.Arrays;
import java.util.List;

/** Datasets one after the other (PyTorch's {@code ConcatDataset}); their sizes are read once, when it is made. */
public final class ConcatDataset<T> implements Dataset<T> {
    private final List<Dataset<? extends T>> datasets;
    private final int[] ends; // ends[i]: the index just past dataset i

    public ConcatDataset(List<? extends Dataset<? extends T>> datasets) {
        if (datasets.isEmpty()) throw new IllegalArgumentException("ConcatDataset: no datasets given");
        this.datasets = List.copyOf(datasets);
        this.ends = new int[datasets.size()];
        long end = 0;
        for (int i = 0; i < ends.length; i++) {
            end += datasets.get(i).size();
            if (end > Integer.MAX_VALUE)
                throw new IllegalArgumentException("ConcatDataset: " + end + " samples do not fit an int index");
            ends[i] = (int) end;
        }
    }

    @SafeVarargs
    public ConcatDataset(Dataset<? extends T>... datasets) { this(List.of(datasets)); }

    @Override public T get(int index) {
        if (index < 0 || index >= size())
            throw new IndexOutOfBoundsException("index " + index + " is out of range for a ConcatDataset of size " + size());
        int found = Arrays.binarySearch(ends, index);
        // an exact hit is the first index of the next dataset; skip empty datasets that share the same end
        int d = found >= 0 ? found + 1 : -found - 1;
        while (ends[d] <= index) d++;
        return datasets.get(d).get(d == 0 ? index : index - ends[d - 1]);
    }

    @Override public int size() { return ends[ends.length - 1]; }

    public List<Dataset<? extends T>> datasets() { return datasets; }
}
