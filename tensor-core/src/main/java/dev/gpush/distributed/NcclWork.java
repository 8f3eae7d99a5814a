package dev.gpush.distributed;

import dev.gpush.tensor.InterruptedOpException;
import org.bytedeco.cuda.cudart.CUevent_st;

import java.util.concurrent.locks.LockSupport;

import static org.bytedeco.cuda.global.cudart.*;

/**
 * The handle of a collective queued by {@link NcclProcessGroup}: a CUDA event recorded on the group's stream right
 * after the collective (and the copies that finish it), done when the GPU has passed it.
 *
 * <p>Rules:
 * <ul>
 *   <li>{@link #await()} polls the event, so that while it waits it can also watch NCCL's asynchronous error
 *       ({@code ncclCommGetAsyncError}: a peer's connection lost), the group's timeout and the thread's interrupt.
 *       Any of the three aborts the communicator ({@code ncclCommAbort}, the only way to stop a collective a peer
 *       will never join) and throws; the group is unusable afterwards, as PyTorch's is.</li>
 *   <li>The event is destroyed once the handle is complete or has failed.</li>
 * </ul>
 */
final class NcclWork implements Work {
    private static final long POLL_NANOS = 10_000;   // between event queries while waiting

    private final NcclProcessGroup group;
    private final String what;        // "allReduce #3 on rank 0", for messages
    private final long deadline;      // System.nanoTime() after which await gives up
    private CUevent_st event;         // null once done
    private RuntimeException failure;

    NcclWork(NcclProcessGroup group, String what, long deadline) {
        this.group = group;
        this.what = what;
        this.deadline = deadline;
        CUevent_st e = new CUevent_st();
        check(cuEventCreate(e, CU_EVENT_DISABLE_TIMING), "cuEventCreate");
        this.event = e;
        try {
            check(cuEventRecord(e, group.stream()), "cuEventRecord");
        } catch (RuntimeException ex) {
            release();
            throw ex;
        }
    }

    @Override public synchronized boolean isCompleted() {
        if (event == null) return true;
        group.useDevice();
        int r = cuEventQuery(event);
        if (r == CUDA_ERROR_NOT_READY) return false;
        release();
        if (r != CUDA_SUCCESS) failure = new DistributedException(what + " failed: cuEventQuery returned CUDA error " + r, -1);
        return true;
    }

    @Override public void await() {
        try {
            while (!isCompleted()) {
                group.checkAsyncError(what);
                if (System.nanoTime() - deadline > 0)
                    throw group.abort(what + " timed out after " + Mesh.seconds(group.timeout()) + ": a rank has not "
                            + "called it (or called another collective, or died where NCCL cannot tell)");
                if (Thread.interrupted()) {
                    group.abort(what + " was interrupted");
                    throw new InterruptedOpException(what + " (the nccl group was aborted: destroy it)");
                }
                LockSupport.parkNanos(POLL_NANOS);
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                release();
            }
            throw e;
        }
        if (failure != null) throw failure;
    }

    private void release() {
        if (event == null) return;
        cuEventDestroy(event);
        event = null;
    }

    private static void check(int result, String call) {
        if (result != CUDA_SUCCESS) throw new DistributedException(call + " failed with CUDA error " + result, -1);
    }
}
