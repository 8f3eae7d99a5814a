package dev.gpush.bench;

import dev.gpush.data.DataLoader;
import dev.gpush.data.TensorDataset;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * DataLoader throughput: one op is one epoch over a TensorDataset of float32 rows and int64 labels, in order,
 * batches made by the default collate (a stack), with 0, 2 and 4 workers; in samples per second. It runs on the CPU
 * whatever the device: loading is host work on both sides.
 *
 * <p>gpush's workers are threads; PyTorch's are processes, started for each epoch (its default, no
 * {@code persistent_workers}), and their batches come back through shared memory. Both are what a user gets by
 * default, which is what the row compares.
 */
final class Loading {
    private Loading() {}

    static List<Workload> workloads(Profile.Loader l) {
        List<Workload> list = new ArrayList<>();
        for (int workers : Profile.Loader.WORKERS) list.add(loader(l, workers));
        return list;
    }

    private static Workload loader(Profile.Loader l, int workers) {
        return new Workload("DataLoader " + workers + " workers, " + l.samples() + "x" + l.features() + " f32, batch " + l.batch(),
                null, "loader:" + l.samples() + ":" + l.features() + ":" + l.batch() + ":" + workers,
                List.of(Workload.Metric.rate("samples/s", l.samples())),
                Workload.timed(Device.CPU, () -> {
                    var data = new TensorDataset(Tensor.randn(new int[]{l.samples(), l.features()}, DType.FLOAT32, Device.CPU),
                            Tensor.randint(0, 10, l.samples()));
                    var loader = DataLoader.builder(data).batchSize(l.batch()).numWorkers(workers).build();
                    return iterations -> {
                        for (long i = 0; i < iterations; i++)
                            for (List<Tensor> batch : loader) Sink.keep(i, batch);
                    };
                }));
    }
}
