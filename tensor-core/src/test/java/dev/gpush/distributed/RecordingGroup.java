package dev.gpush.distributed;

import dev.gpush.tensor.Tensor;
import java.util.List;

/**
 * A real process group that also writes to {@code log} when an allReduce is started ({@code "start allReduce N"})
 * and when its handle's await returns ({@code "awaited allReduce N"}): the order of events DDP causes, seen from
 * outside it. Everything else goes straight to the group.
 */
final class RecordingGroup implements ProcessGroup {
    private final ProcessGroup group;
    private final List<String> log;
    private int started;

    RecordingGroup(ProcessGroup group, List<String> log) {
        this.group = group;
        this.log = log;
    }

    @Override public Work allReduceAsync(Tensor t, ReduceOp op) {
        int n = started++;
        log.add("start allReduce " + n);
        Work w = group.allReduceAsync(t, op);
        return new Work() {
            @Override public void await() {
                w.await();
                log.add("awaited allReduce " + n);
            }

            @Override public boolean isCompleted() { return w.isCompleted(); }
        };
    }

    @Override public void allReduce(Tensor t, ReduceOp op) { allReduceAsync(t, op).await(); }
    @Override public int rank() { return group.rank(); }
    @Override public int size() { return group.size(); }
    @Override public String backend() { return group.backend(); }
    @Override public void broadcast(Tensor t, int src) { group.broadcast(t, src); }
    @Override public void allGather(List<Tensor> out, Tensor t) { group.allGather(out, t); }
    @Override public void reduceScatter(Tensor out, List<Tensor> in, ReduceOp op) { group.reduceScatter(out, in, op); }
    @Override public void barrier() { group.barrier(); }
    @Override public void send(Tensor t, int dst) { group.send(t, dst); }
    @Override public void recv(Tensor t, int src) { group.recv(t, src); }
    @Override public void close() { group.close(); }
}
