package dev.gpush.data;

import dev.gpush.tensor.Scope;
import dev.gpush.tensor.Shapes;
import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Tensors that share their first dimension, sample {@code i} being row {@code i} of each (PyTorch's
 * {@code TensorDataset}). A sample is a {@code List<Tensor>} of row views, one per tensor, in order: a list
 * rather than a record because the number of tensors varies, and because the default collate turns it into a
 * {@code List<Tensor>} of stacked batches, read in a training loop as {@code batch.get(0)}, {@code batch.get(1)},
 * the way {@code x, y = batch} reads in PyTorch.
 *
 * <p>The dataset keeps its tensors beyond the call that made it, so it takes them out of scoping
 * ({@link Scope#escape}), as modules do with their parameters.
 */
public final class TensorDataset implements Dataset<List<Tensor>> {
    private final List<Tensor> tensors;

    public TensorDataset(Tensor... tensors) {
        if (tensors.length == 0) throw new IllegalArgumentException("TensorDataset: needs at least one tensor");
        for (int i = 0; i < tensors.length; i++) {
            if (tensors[i].dim() == 0)
                throw new IllegalArgumentException("TensorDataset: tensor " + i + " is 0-dim; samples are rows of dim 0");
            if (tensors[i].size(0) != tensors[0].size(0))
                throw new IllegalArgumentException("TensorDataset: size mismatch between tensors: tensor 0 has shape "
                        + Shapes.str(tensors[0].shapeRef()) + " but tensor " + i + " has shape "
                        + Shapes.str(tensors[i].shapeRef()) + " (their first dims must agree)");
        }
        List<Tensor> kept = new ArrayList<>(tensors.length);
        for (Tensor t : tensors) kept.add(Scope.escape(t));
        this.tensors = List.copyOf(kept);
    }

    /** Row {@code index} of every tensor, as views. */
    @Override public List<Tensor> get(int index) {
        if (index < 0 || index >= size())
            throw new IndexOutOfBoundsException("index " + index + " is out of range for a TensorDataset of size " + size());
        List<Tensor> row = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) row.add(t.get(index));
        return row;
    }

    @Override public int size() { return tensors.getFirst().size(0); }

    public List<Tensor> tensors() { return tensors; }
}
