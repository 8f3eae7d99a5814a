package dev.gpush.distributed;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The CPU process group (gloo's role in PyTorch): collectives on CPU tensors over a full mesh of TCP sockets
 * ({@link Mesh}).
 *
 * <p>Note [ring]: allReduce, allGather and reduceScatter run on a ring (rank r sends to r+1 and receives from
 * r-1). The tensor is cut into one chunk per rank (sizes differ by at most one element, so any length works); a
 * reduce-scatter pass leaves rank r owning chunk r fully reduced, and an all-gather pass hands every owned chunk
 * around. Each rank sends and receives 2(n-1)/n of the tensor whatever the world size, which is the least any
 * algorithm can (NCCL's ring does the same for large tensors), and every rank ends with the owner's bits, so
 * results are identical across ranks: DDP replicas never drift apart. The price is 2(n-1) steps of latency, which
 * is small at the world sizes one machine or a few run. Broadcast uses a binomial tree (log2 n steps, the root
 * sends log2 n copies instead of n-1). A barrier is an allReduce of one element: a ring pass cannot finish
 * on any rank before every rank has entered it.
 *
 * <p>Messages carry the collective's name, number, dtype and chunk length, so ranks that call different
 * collectives or pass different shapes get an error saying so instead of wrong numbers. Pieces are at most
 * {@link #SEGMENT_BYTES} long, so a tensor of any size goes through.
 *
 * <p>Note [queues]: every operation runs on a {@link WorkQueue}, a thread of the group's own, so an async form
 * returns at once and the caller (DDP's backward) goes on while the ring runs; a blocking form is the async one
 * awaited. Arguments are checked on the caller's thread, so a wrong call throws there and takes no number. The
 * collectives share one queue: they run in the order called, which is the same on every rank, as the ring needs.
 * Sends have a queue of their own and receives one per source rank, so a receive waiting for its message never
 * holds up a send or a receive from another rank: ranks that each post {@code irecv} before {@code isend} do not
 * deadlock, and point-to-point messages between two ranks stay in order. Sends never wait for the receiver
 * ({@link Mesh}'s reader threads drain every socket), so one send queue suffices. {@link #close()} stops the
 * queues' threads before it says goodbye.
 */
public final class CpuProcessGroup implements ProcessGroup {
    static final int SEGMENT_BYTES = 8 << 20;

    /** The collectives, as named in messages. */
    private enum Call {
        ALL_REDUCE("allReduce"), BROADCAST("broadcast"), ALL_GATHER("allGather"), REDUCE_SCATTER("reduceScatter"),
        BARRIER("barrier"), SEND("send/recv");

        final String label;

        Call(String label) { this.label = label; }
    }

    private final Rendezvous rendezvous;
    private final TcpStore store;
    private final Mesh mesh;
    private final int rank, size;
    private final WorkQueue collectives;  // Note [queues]
    private WorkQueue sends;              // made at the first isend
    private final WorkQueue[] receives;   // per source rank, made at its first irecv
    private final int[] sent, received;   // point-to-point messages per peer
    private int seq;                      // collectives so far: the same count on every rank
    private volatile boolean closed;

    /** Joins the group of {@code r} through {@code store}, which the group owns from now on. */
    public CpuProcessGroup(Rendezvous r, TcpStore store) {
        this.rendezvous = r;
        this.store = store;
        this.rank = r.rank();
        this.size = r.worldSize();
        this.sent = new int[size];
        this.received = new int[size];
        this.receives = new WorkQueue[size];
        this.mesh = Mesh.connect(r, store);
        this.collectives = new WorkQueue(threadName("collectives"));
    }

    @Override public int rank() { return rank; }
    @Override public int size() { return size; }
    @Override public String backend() { return "cpu"; }

    // ---------------------------------------------------------------- blocking forms: the async ones, awaited

    @Override public void allReduce(Tensor t, ReduceOp op) { allReduceAsync(t, op).await(); }
    @Override public void broadcast(Tensor t, int src) { broadcastAsync(t, src).await(); }
    @Override public void allGather(List<Tensor> out, Tensor t) { allGatherAsync(out, t).await(); }
    @Override public void reduceScatter(Tensor out, List<Tensor> in, ReduceOp op) { reduceScatterAsync(out, in, op).await(); }
    @Override public void barrier() { barrierAsync().await(); }
    @Override public void send(Tensor t, int dst) { isend(t, dst).await(); }
    @Override public void recv(Tensor t, int src) { irecv(t, src).await(); }

    // ---------------------------------------------------------------- collectives: checked here, run on the queue

    @Override public Work allReduceAsync(Tensor t, ReduceOp op) {
        Flat.checkCpu(t, "allReduce");
        if (op == ReduceOp.AVG && t.dtype() == DType.BOOL)
            throw new IllegalArgumentException("allReduce: ReduceOp.AVG is not defined for bool tensors");
        return submit(Call.ALL_REDUCE, run -> {
            try (Flat f = Flat.of(t, "allReduce")) {
                int[] bounds = evenChunks(f.length);
                reduceScatterPass(run, op, f.array, f.dtype, f.offset, bounds);
                allGatherPass(run, f.array, f.dtype, f.offset, bounds);
                f.commit();
            }
        });
    }

    @Override public Work broadcastAsync(Tensor t, int src) {
        checkRank(src, "broadcast", "src");
        Flat.checkCpu(t, "broadcast");
        return submit(Call.BROADCAST, run -> {
            try (Flat f = Flat.of(t, "broadcast")) {
                int vr = Math.floorMod(rank - src, size), mask = 1;
                while (mask < size) {                 // receive once, from the parent in the binomial tree
                    if ((vr & mask) != 0) {
                        receiveInto(run, Math.floorMod(vr - mask + src, size), Mesh.COLLECTIVE, f.array, f.dtype,
                                f.offset, f.length, null);
                        break;
                    }
                    mask <<= 1;
                }
                for (mask >>= 1; mask > 0; mask >>= 1)   // then send to the children
                    if (vr + mask < size) sendChunk(run, Math.floorMod(vr + mask + src, size), Mesh.COLLECTIVE,
                            f.array, f.dtype, f.offset, f.length);
                if (rank != src) f.commit();
            }
        });
    }

    @Override public Work allGatherAsync(List<Tensor> out, Tensor t) {
        checkList(out, t, "allGather", "out");
        return submit(Call.ALL_GATHER, run -> {
            int m = t.numel();
            try (Tensor buf = Tensor.empty(new int[]{m * size}, t.dtype(), t.device()); Flat f = Flat.of(buf, "allGather")) {
                buf.narrow(0, rank * m, m).copy_(t.reshape(-1));
                allGatherPass(run, f.array, f.dtype, f.offset, fixedChunks(m));
                for (int i = 0; i < size; i++) out.get(i).copy_(buf.narrow(0, i * m, m).view(out.get(i).shapeRef()));
            }
        });
    }

    @Override public Work reduceScatterAsync(Tensor out, List<Tensor> in, ReduceOp op) {
        checkList(in, out, "reduceScatter", "in");
        if (op == ReduceOp.AVG && out.dtype() == DType.BOOL)
            throw new IllegalArgumentException("reduceScatter: ReduceOp.AVG is not defined for bool tensors");
        return submit(Call.REDUCE_SCATTER, run -> {
            int m = out.numel();
            List<Tensor> flat = new ArrayList<>();
            for (Tensor x : in) flat.add(x.reshape(-1));
            try (Tensor buf = Tensor.cat(flat, 0).contiguous(); Flat f = Flat.of(buf, "reduceScatter")) {
                reduceScatterPass(run, op, f.array, f.dtype, f.offset, fixedChunks(m));
                out.copy_(buf.narrow(0, rank * m, m).view(out.shapeRef()));
            }
        });
    }

    @Override public Work barrierAsync() {
        return submit(Call.BARRIER, run -> {
            int[] one = new int[1];
            int[] bounds = evenChunks(1);
            reduceScatterPass(run, ReduceOp.SUM, one, DType.INT32, 0, bounds);
            allGatherPass(run, one, DType.INT32, 0, bounds);
        });
    }

    // ---------------------------------------------------------------- point to point (Note [queues])

    @Override public Work isend(Tensor t, int dst) {
        checkPeer(dst, "send", "dst");
        Flat.checkCpu(t, "send");
        Run run = new Run(Call.SEND, sent[dst]++);
        String what = "send #" + run.seq() + " from rank " + rank + " to rank " + dst;
        checkOpen(what);
        return sendQueue().submit(what, () -> {
            try (Flat f = Flat.of(t, "send")) {
                sendChunk(run, dst, Mesh.P2P, f.array, f.dtype, f.offset, f.length);
            }
        });
    }

    @Override public Work irecv(Tensor t, int src) {
        checkPeer(src, "recv", "src");
        Flat.checkCpu(t, "recv");
        Run run = new Run(Call.SEND, received[src]++);
        String what = "recv #" + run.seq() + " on rank " + rank + " from rank " + src;
        checkOpen(what);
        return receiveQueue(src).submit(what, () -> {
            try (Flat f = Flat.of(t, "recv")) {
                receiveInto(run, src, Mesh.P2P, f.array, f.dtype, f.offset, f.length, null);
                f.commit();
            }
        });
    }

    private synchronized WorkQueue sendQueue() {
        if (sends == null) sends = new WorkQueue(threadName("send"));
        return sends;
    }

    private synchronized WorkQueue receiveQueue(int src) {
        if (receives[src] == null) receives[src] = new WorkQueue(threadName("recv-from" + src));
        return receives[src];
    }

    // ---------------------------------------------------------------- the ring (Note [ring])

    /** After it, this rank's chunk {@code rank} holds the reduction over all ranks (divided by n for AVG). */
    private void reduceScatterPass(Run run, ReduceOp op, Object array, DType d, int base, int[] bounds) {
        int next = (rank + 1) % size, prev = Math.floorMod(rank - 1, size);
        for (int s = 0; s < size - 1; s++) {
            int out = Math.floorMod(rank - s - 1, size), in = Math.floorMod(rank - s - 2, size);
            sendChunk(run, next, Mesh.COLLECTIVE, array, d, base + bounds[out], bounds[out + 1] - bounds[out]);
            receiveInto(run, prev, Mesh.COLLECTIVE, array, d, base + bounds[in], bounds[in + 1] - bounds[in], op);
        }
        if (op == ReduceOp.AVG) Combine.divide(d, array, base + bounds[rank], bounds[rank + 1] - bounds[rank], size);
    }

    /** Hands each rank's chunk {@code rank} to every rank. */
    private void allGatherPass(Run run, Object array, DType d, int base, int[] bounds) {
        int next = (rank + 1) % size, prev = Math.floorMod(rank - 1, size);
        for (int s = 0; s < size - 1; s++) {
            int out = Math.floorMod(rank - s, size), in = Math.floorMod(rank - s - 1, size);
            sendChunk(run, next, Mesh.COLLECTIVE, array, d, base + bounds[out], bounds[out + 1] - bounds[out]);
            receiveInto(run, prev, Mesh.COLLECTIVE, array, d, base + bounds[in], bounds[in + 1] - bounds[in], null);
        }
    }

    /** {@code size} chunks of {@code n} elements whose lengths differ by at most one. */
    private int[] evenChunks(int n) {
        int[] b = new int[size + 1];
        for (int i = 0; i <= size; i++) b[i] = (int) ((long) n * i / size);
        return b;
    }

    private int[] fixedChunks(int m) {
        int[] b = new int[size + 1];
        for (int i = 0; i <= size; i++) b[i] = i * m;
        return b;
    }

    // ---------------------------------------------------------------- messages

    /** A collective in progress: its name, number and deadline (0: each receive waits the group's timeout). */
    private record Run(Call call, int seq, long deadline) {
        Run(Call call, int seq) { this(call, seq, 0); }
    }

    /**
     * Numbers the collective here, in the caller's order, and queues {@code body}; its deadline starts when it
     * runs, so a collective queued behind a slow one is not timed out by the wait.
     */
    private Work submit(Call call, Consumer<Run> body) {
        String what = call.label + " #" + seq + " on rank " + rank;
        checkOpen(what);
        int n = seq++;
        return collectives.submit(what, () -> body.accept(new Run(call, n, System.nanoTime() + rendezvous.timeout().toNanos())));
    }

    private void checkOpen(String what) {
        if (closed) throw new IllegalStateException(what + ": the process group was destroyed");
    }

    private String threadName(String queue) {
        return "gpush-dist-" + rendezvous.masterPort() + "-rank" + rank + "-" + queue;
    }

    private long deadline(Run run) {
        return run.deadline() != 0 ? run.deadline() : System.nanoTime() + rendezvous.timeout().toNanos();
    }

    private void sendChunk(Run run, int peer, byte channel, Object array, DType d, int from, int count) {
        try {
            sendPieces(run, peer, channel, array, d, from, count);
        } catch (DistributedException e) {
            mesh.fail(e);
            throw e;
        }
    }

    private void sendPieces(Run run, int peer, byte channel, Object array, DType d, int from, int count) {
        int step = Math.max(1, SEGMENT_BYTES / d.itemSize()), at = 0;
        do {
            int n = Math.min(step, count - at);
            mesh.send(peer, channel, new Mesh.Frame((byte) run.call().ordinal(), (byte) d.ordinal(), run.seq(), count,
                    Wire.encode(array, d, from + at, n)));
            at += n;
        } while (at < count);
    }

    /** Receives {@code count} elements from {@code peer}: combined in with {@code op}, or written over when null. */
    private void receiveInto(Run run, int peer, byte channel, Object array, DType d, int from, int count, ReduceOp op) {
        try {
            receivePieces(run, peer, channel, array, d, from, count, op);
        } catch (DistributedException e) {
            mesh.fail(e); // the group is unusable now; close() tells the peers why
            throw e;
        }
    }

    private void receivePieces(Run run, int peer, byte channel, Object array, DType d, int from, int count, ReduceOp op) {
        String what = run.call().label + " #" + run.seq();
        long deadline = deadline(run);
        Object scratch = op == null ? null : Wire.newArray(d, Math.min(count, Math.max(1, SEGMENT_BYTES / d.itemSize())));
        int at = 0;
        do {
            Mesh.Frame f = mesh.receive(peer, channel, deadline, what, rendezvous.timeout());
            check(f, run, peer, d, count, what);
            int n = f.payload().length / d.itemSize();
            if (n > count - at) throw mismatch(peer, what, "sent more elements than expected");
            if (op == null) {
                Wire.decode(f.payload(), array, d, from + at);
            } else {
                Wire.decode(f.payload(), scratch, d, 0);
                Combine.into(op, d, array, from + at, scratch, n);
            }
            at += n;
        } while (at < count);
    }

    private void check(Mesh.Frame f, Run run, int peer, DType d, int count, String what) {
        if (f.op() != run.call().ordinal() || f.seq() != run.seq())
            throw mismatch(peer, what, "rank " + peer + " is in " + Call.values()[f.op()].label + " #" + f.seq()
                    + ": every rank must call the same collectives in the same order");
        if (f.dtype() != d.ordinal() || f.total() != count)
            throw mismatch(peer, what, "rank " + peer + " sent " + f.total() + " elements of "
                    + DType.values()[f.dtype()] + " where rank " + rank + " has " + count + " of " + d
                    + ": every rank must pass tensors of the same shape and dtype");
    }

    private DistributedException mismatch(int peer, String what, String why) {
        return new DistributedException(what + " on rank " + rank + ": " + why, peer);
    }

    // ---------------------------------------------------------------- checks

    private void checkRank(int r, String op, String name) {
        if (r < 0 || r >= size)
            throw new IllegalArgumentException(op + ": " + name + " rank " + r + " is not in the group of " + size
                    + " (ranks 0.." + (size - 1) + ")");
    }

    private void checkList(List<Tensor> list, Tensor t, String op, String name) {
        Flat.checkCpu(t, op);
        if (list == null || list.size() != size)
            throw new IllegalArgumentException(op + ": " + name + " needs one tensor per rank (" + size + "), got "
                    + (list == null ? "null" : list.size()));
        for (int i = 0; i < size; i++) {
            Tensor x = list.get(i);
            Flat.checkCpu(x, op);
            if (x.numel() != t.numel() || x.dtype() != t.dtype())
                throw new IllegalArgumentException(op + ": " + name + "[" + i + "] is " + x.dtype() + " "
                        + Arrays.toString(x.shapeRef()) + " but the tensor is " + t.dtype() + " "
                        + Arrays.toString(t.shapeRef()));
        }
    }

    private void checkPeer(int r, String op, String name) {
        checkRank(r, op, name);
        if (r == rank) throw new IllegalArgumentException(op + ": rank " + rank + " cannot "
                + (op.equals("send") ? "send to" : "receive from") + " itself");
    }

    /** The threads of this group's queues that are running (for tests). */
    synchronized List<Thread> queueThreads() {
        List<Thread> out = new ArrayList<>();
        for (WorkQueue q : queues()) {
            Thread t = q.liveThread();
            if (t != null) out.add(t);
        }
        return out;
    }

    private synchronized List<WorkQueue> queues() {
        List<WorkQueue> out = new ArrayList<>(List.of(collectives));
        if (sends != null) out.add(sends);
        for (WorkQueue q : receives) if (q != null) out.add(q);
        return out;
    }

    /** Ends the queues' threads: what is running or queued fails saying the group was destroyed. */
    private void stopQueues() {
        for (WorkQueue q : queues()) q.stop("the process group was destroyed");
    }

    /** Closes every connection without a goodbye, as a crash would (for tests of failure handling). */
    void abort() {
        closed = true;
        stopQueues();
        mesh.abort();
        store.close();
    }

    /**
     * destroyProcessGroup: stops the queues first (a collective still waiting for a peer fails instead of holding
     * the close until the timeout), then says goodbye to the peers and closes the connections and the store.
     */
    @Override public void close() {
        if (closed) return;
        closed = true;
        stopQueues();
        mesh.close();
        store.close();
    }

    @Override public String toString() { return "CpuProcessGroup(rank=" + rank + ", size=" + size + ")"; }
}
