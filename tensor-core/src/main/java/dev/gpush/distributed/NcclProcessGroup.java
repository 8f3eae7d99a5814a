package dev.gpush.distributed;

import dev.gpush.autograd.GradMode;
import dev.gpush.cuda.Cuda;
import dev.gpush.cuda.DataPointer;
import dev.gpush.cuda.DriverStreams;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Scope;
import dev.gpush.tensor.Tensor;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.nccl.ncclComm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static dev.gpush.distributed.Nccl.at;
import static org.bytedeco.cuda.global.nccl.*;

/**
 * The NCCL process group (PyTorch's ProcessGroupNCCL): collectives on CUDA tensors, run by NCCL on the GPU. One
 * process per GPU: rank r works on {@code cuda:LOCAL_RANK}, as torchrun users expect.
 *
 * <p>Rules:
 * <ul>
 *   <li>Joining: the device is made current, {@code libnccl.so.2} is loaded ({@link Nccl#load}), rank 0's unique
 *       id goes to every rank through the store ({@link UniqueIdExchange}, which also names ranks that did not
 *       arrive), and every rank calls {@code ncclCommInitRank}. {@link #close()} calls {@code ncclCommDestroy}.</li>
 *   <li>Collectives are queued on the calling thread's current stream of this rank's device ({@link #stream()}),
 *       where the ops before and after them run, so they are ordered with those ops without events (a dedicated
 *       NCCL stream overlapped with compute is not done). An async form returns once its collective is queued, with a {@link NcclWork} whose event
 *       follows it; a blocking form awaits that handle, so its failures (a lost peer, the timeout) are reported
 *       there rather than as a hang.</li>
 *   <li>Tensors must be on this rank's device; a CPU tensor is refused with the backend to use. A non-contiguous
 *       tensor is worked on through a contiguous copy that is copied back (queued, so async forms stay async).</li>
 *   <li>dtypes: every one ({@link Nccl#dtype}); AVG is NCCL's ncclAvg (integers truncate, as on the CPU group).</li>
 *   <li>After a failure the communicator is aborted ({@code ncclCommAbort}) and every later call says so.</li>
 *   <li>One thread at a time calls the collectives; any thread may await a handle.</li>
 * </ul>
 */
public final class NcclProcessGroup implements ProcessGroup {
    private final Rendezvous rendezvous;
    private final TcpStore store;
    private final int rank, size;
    private final Device device;
    private final ncclComm comm;
    private final int[] sent, received;   // point-to-point messages per peer, for messages
    private int seq;                      // collectives so far
    private volatile String aborted;      // why the communicator was aborted, or null
    private boolean closed;

    /** Joins the group of {@code r} through {@code store}, which the group owns from now on. */
    public NcclProcessGroup(Rendezvous r, TcpStore store) {
        this.rendezvous = r;
        this.store = store;
        this.rank = r.rank();
        this.size = r.worldSize();
        this.sent = new int[size];
        this.received = new int[size];
        this.device = NcclChecks.deviceOf(r.localRank(), Cuda.deviceCount());
        useDevice();
        Nccl.load();
        byte[] id = UniqueIdExchange.share(r, store, Nccl::uniqueId);
        int set = org.bytedeco.cuda.global.cudart.cudaSetDevice(device.index());   // NCCL asks the runtime API
        if (set != 0) throw new DistributedException("cudaSetDevice(" + device.index() + ") failed with " + set, -1);
        this.comm = Nccl.initRank(size, id, rank);
    }

    @Override public int rank() { return rank; }
    @Override public int size() { return size; }
    @Override public String backend() { return "nccl"; }

    /** The device this rank's collectives run on: {@code cuda:LOCAL_RANK}. */
    public Device device() { return device; }

    // ---------------------------------------------------------------- blocking forms: the async ones, awaited

    @Override public void allReduce(Tensor t, ReduceOp op) { allReduceAsync(t, op).await(); }
    @Override public void broadcast(Tensor t, int src) { broadcastAsync(t, src).await(); }
    @Override public void allGather(List<Tensor> out, Tensor t) { allGatherAsync(out, t).await(); }
    @Override public void reduceScatter(Tensor out, List<Tensor> in, ReduceOp op) { reduceScatterAsync(out, in, op).await(); }
    @Override public void barrier() { barrierAsync().await(); }
    @Override public void send(Tensor t, int dst) { isend(t, dst).await(); }
    @Override public void recv(Tensor t, int src) { irecv(t, src).await(); }

    /**
     * The stream NCCL's calls and their completion events go on: the calling thread's current stream of this rank's
     * device, so a collective is ordered after the ops that made its tensor and before those that read it.
     */
    CUstream_st stream() { return DriverStreams.current(device.index()); }

    // ---------------------------------------------------------------- collectives

    @Override public Work allReduceAsync(Tensor t, ReduceOp op) {
        NcclChecks.checkTensor(t, device, "allReduce");
        int nop = reduction(op, t.dtype(), "allReduce");
        String what = start("allReduce");
        try (GradMode off = GradMode.disable()) {
            Tensor work = contiguous(t);
            long p = DataPointer.of(work);
            call(ncclAllReduce(at(p), at(p), t.numel(), Nccl.dtype(t.dtype()), nop, comm, stream()), what);
            commit(t, work);
        }
        return queued(what);
    }

    @Override public Work broadcastAsync(Tensor t, int src) {
        checkRank(src, "broadcast", "src");
        NcclChecks.checkTensor(t, device, "broadcast");
        String what = start("broadcast");
        try (GradMode off = GradMode.disable()) {
            Tensor work = contiguous(t);
            long p = DataPointer.of(work);
            call(ncclBroadcast(at(p), at(p), t.numel(), Nccl.dtype(t.dtype()), src, comm, stream()), what);
            if (rank != src) commit(t, work);
            else if (work != t) work.close();
        }
        return queued(what);
    }

    @Override public Work allGatherAsync(List<Tensor> out, Tensor t) {
        NcclChecks.checkList(out, t, size, device, "allGather", "out");
        String what = start("allGather");
        int m = t.numel();
        try (GradMode off = GradMode.disable(); Scope scope = Scope.open()) {
            Tensor in = t.contiguous(), buf = Tensor.empty(new int[]{m * size}, t.dtype(), device);
            call(ncclAllGather(at(DataPointer.of(in)), at(DataPointer.of(buf)), m, Nccl.dtype(t.dtype()), comm,
                    stream()), what);
            for (int i = 0; i < size; i++) out.get(i).copy_(buf.narrow(0, i * m, m).view(out.get(i).shapeRef()));
        }
        return queued(what);
    }

    @Override public Work reduceScatterAsync(Tensor out, List<Tensor> in, ReduceOp op) {
        NcclChecks.checkList(in, out, size, device, "reduceScatter", "in");
        int nop = reduction(op, out.dtype(), "reduceScatter");
        String what = start("reduceScatter");
        try (GradMode off = GradMode.disable(); Scope scope = Scope.open()) {
            List<Tensor> flat = new ArrayList<>();
            for (Tensor x : in) flat.add(x.reshape(-1));
            Tensor send = Tensor.cat(flat, 0).contiguous(), recv = contiguous(out);
            call(ncclReduceScatter(at(DataPointer.of(send)), at(DataPointer.of(recv)), out.numel(),
                    Nccl.dtype(out.dtype()), nop, comm, stream()), what);
            commit(out, recv);
        }
        return queued(what);
    }

    /** An allReduce of one element: no rank's copy can complete before every rank has queued it. */
    @Override public Work barrierAsync() {
        String what = start("barrier");
        try (Tensor one = Tensor.zeros(new int[]{1}, DType.INT32, device)) {
            call(ncclAllReduce(at(DataPointer.of(one)), at(DataPointer.of(one)), 1, ncclInt32, ncclSum, comm,
                    stream()), what);
        }
        return queued(what);
    }

    @Override public Work isend(Tensor t, int dst) {
        checkPeer(dst, "send", "dst");
        NcclChecks.checkTensor(t, device, "send");
        String what = "send #" + sent[dst]++ + " from rank " + rank + " to rank " + dst;
        checkOpen(what);
        try (GradMode off = GradMode.disable()) {
            Tensor work = contiguous(t);
            call(ncclSend(at(DataPointer.of(work)), t.numel(), Nccl.dtype(t.dtype()), dst, comm, stream()), what);
            if (work != t) work.close();
        }
        return queued(what);
    }

    @Override public Work irecv(Tensor t, int src) {
        checkPeer(src, "recv", "src");
        NcclChecks.checkTensor(t, device, "recv");
        String what = "recv #" + received[src]++ + " on rank " + rank + " from rank " + src;
        checkOpen(what);
        try (GradMode off = GradMode.disable()) {
            Tensor work = contiguous(t);
            call(ncclRecv(at(DataPointer.of(work)), t.numel(), Nccl.dtype(t.dtype()), src, comm, stream()), what);
            commit(t, work);
        }
        return queued(what);
    }

    // ---------------------------------------------------------------- the plumbing

    private String start(String op) {
        String what = op + " #" + seq++ + " on rank " + rank;
        checkOpen(what);
        return what;
    }

    private void checkOpen(String what) {
        if (closed) throw new IllegalStateException(what + ": the process group was destroyed");
        if (aborted != null)
            throw new IllegalStateException(what + ": the nccl group was aborted after an earlier failure (" + aborted
                    + "); destroy it and make a new one");
        useDevice();
    }

    private Work queued(String what) {
        return new NcclWork(this, what, System.nanoTime() + rendezvous.timeout().toNanos());
    }

    private void call(int result, String what) { Nccl.check(result, what, comm); }

    private static int reduction(ReduceOp op, DType d, String name) {
        try {
            return Nccl.op(op, d);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage());
        }
    }

    /** The tensor itself when contiguous, else a contiguous copy that {@link #commit} copies back. */
    private static Tensor contiguous(Tensor t) { return t.isContiguous() ? t : t.contiguous(); }

    /** Makes the queued result visible in {@code t} (a queued copy from {@code work} when it is a copy). */
    private static void commit(Tensor t, Tensor work) {
        if (work == t) {
            t.storage().bumpVersion();
        } else {
            t.copy_(work);
            work.close();
        }
    }

    private void checkRank(int r, String op, String name) {
        if (r < 0 || r >= size)
            throw new IllegalArgumentException(op + ": " + name + " rank " + r + " is not in the group of " + size
                    + " (ranks 0.." + (size - 1) + ")");
    }

    private void checkPeer(int r, String op, String name) {
        checkRank(r, op, name);
        if (r == rank) throw new IllegalArgumentException(op + ": rank " + rank + " cannot " + op + " itself");
    }

    void useDevice() { Cuda.setDevice(device.index()); }

    Duration timeout() { return rendezvous.timeout(); }

    /** Throws (aborting the communicator) when NCCL reports an asynchronous error, such as a lost peer. */
    void checkAsyncError(String what) {
        int[] result = new int[1];
        Nccl.check(ncclCommGetAsyncError(comm, result), "ncclCommGetAsyncError", comm);
        if (result[0] != ncclSuccess && result[0] != ncclInProgress)
            throw abort(what + " failed: NCCL reported " + Nccl.errorText(result[0], comm) + " (a peer died or its "
                    + "connection failed); the group was aborted: destroy it");
    }

    /** Aborts the communicator once and returns the failure to throw. */
    synchronized DistributedException abort(String why) {
        if (aborted == null) {
            aborted = why;
            useDevice();
            ncclCommAbort(comm);
        }
        return new DistributedException(why, -1);
    }

    /** destroyProcessGroup: {@code ncclCommDestroy} (nothing more after an abort), then the store. Idempotent. */
    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            if (aborted == null) {
                useDevice();
                Nccl.check(ncclCommDestroy(comm), "ncclCommDestroy", null);
            }
        } finally {
            store.close();
        }
    }

    @Override public String toString() {
        return "NcclProcessGroup(rank=" + rank + ", size=" + size + ", device=" + device + ")";
    }
}
