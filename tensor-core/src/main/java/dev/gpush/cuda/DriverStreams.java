package dev.gpush.cuda;

import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUstream_st;

import java.lang.ref.Cleaner;

import static org.bytedeco.cuda.global.cudart.*;

/**
 * The driver API calls on streams and events, for {@link CudaStream} and {@link CudaEvent} (which name no CUDA
 * type) and for every class that queues work: {@link #current(int)} is the stream an op must use (Note [current
 * stream] in CudaStream). Like {@link Driver}, this class is touched only once CUDA is known to be usable.
 */
public final class DriverStreams {
    private DriverStreams() {}

    private static final Cleaner EVENTS = Cleaner.create();

    /**
     * The calling thread's current stream of {@code device} as the driver's handle, for cuLaunchKernel, cuBLAS,
     * cuDNN ({@code cudnnSetStream}) and NCCL: null is the legacy default stream, as the driver API takes it.
     */
    public static CUstream_st current(int device) { return raw(CurrentStreams.get(device)); }

    /** {@code stream}'s driver handle; null for the default stream. */
    public static CUstream_st raw(CudaStream stream) { return (CUstream_st) stream.raw; }

    /** A new non-blocking stream of {@code device}: normal priority for 0, the device's greatest for -1. */
    static CudaStream create(int device, int priority) {
        Driver.use(device);
        int cudaPriority = 0;
        if (priority < 0) {
            int[] least = new int[1], greatest = new int[1];
            Driver.check(cuCtxGetStreamPriorityRange(least, greatest), "cuCtxGetStreamPriorityRange");
            cudaPriority = greatest[0];
        }
        CUstream_st s = new CUstream_st();
        Driver.check(cuStreamCreateWithPriority(s, CU_STREAM_NON_BLOCKING, cudaPriority), "cuStreamCreateWithPriority");
        return CudaStream.of(device, s.address(), priority, s);
    }

    static void synchronize(CudaStream stream) {
        Driver.use(stream.device());
        Driver.check(cuStreamSynchronize(raw(stream)), "cuStreamSynchronize");
    }

    static boolean query(CudaStream stream) {
        Driver.use(stream.device());
        return ready(cuStreamQuery(raw(stream)), "cuStreamQuery");
    }

    static void waitEvent(CudaStream stream, Object event) {
        Driver.use(stream.device());
        Driver.check(cuStreamWaitEvent(raw(stream), (CUevent_st) event, CU_EVENT_WAIT_DEFAULT), "cuStreamWaitEvent");
    }

    /** A new event of {@code device}, destroyed once {@code owner} is unreachable. */
    static Object createEvent(Object owner, int device, boolean timing) {
        Driver.use(device);
        CUevent_st e = new CUevent_st();
        Driver.check(cuEventCreate(e, timing ? CU_EVENT_DEFAULT : CU_EVENT_DISABLE_TIMING), "cuEventCreate");
        EVENTS.register(owner, () -> destroy(e, device));   // refers to the handle, never to the owner
        return e;
    }

    static void record(Object event, CudaStream stream) {
        Driver.use(stream.device());
        Driver.check(cuEventRecord((CUevent_st) event, raw(stream)), "cuEventRecord");
    }

    static void synchronizeEvent(Object event, int device) {
        Driver.use(device);
        Driver.check(cuEventSynchronize((CUevent_st) event), "cuEventSynchronize");
    }

    static boolean queryEvent(Object event, int device) {
        Driver.use(device);
        return ready(cuEventQuery((CUevent_st) event), "cuEventQuery");
    }

    static float elapsedTime(Object start, Object end, int device) {
        Driver.use(device);
        Driver.check(cuEventSynchronize((CUevent_st) end), "cuEventSynchronize");
        float[] ms = new float[1];
        Driver.check(cuEventElapsedTime(ms, (CUevent_st) start, (CUevent_st) end), "cuEventElapsedTime");
        return ms[0];
    }

    /**
     * Makes {@code waiter} wait for the work queued on {@code stream} so far, with a throw-away event: what
     * {@link Cuda#recordStream} does when a block goes back to its pool. The event may be destroyed at once; the
     * wait still holds (cuEventDestroy releases it when it completes).
     */
    static void join(CudaStream waiter, CudaStream stream) {
        if (waiter.equals(stream)) return;
        Driver.use(stream.device());
        CUevent_st e = new CUevent_st();
        Driver.check(cuEventCreate(e, CU_EVENT_DISABLE_TIMING), "cuEventCreate");
        try {
            Driver.check(cuEventRecord(e, raw(stream)), "cuEventRecord");
            Driver.check(cuStreamWaitEvent(raw(waiter), e, CU_EVENT_WAIT_DEFAULT), "cuStreamWaitEvent");
        } finally {
            cuEventDestroy(e);
        }
    }

    private static void destroy(CUevent_st event, int device) {
        Driver.use(device);
        cuEventDestroy(event);   // on the cleaner's thread: nothing to report to
    }

    private static boolean ready(int result, String call) {
        if (result == CUDA_ERROR_NOT_READY) return false;
        Driver.check(result, call);
        return true;
    }
}
