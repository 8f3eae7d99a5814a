package dev.gpush.cuda;

import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.ShortPointer;

import static org.bytedeco.cuda.global.cudart.*;

/**
 * Copies between Java arrays and one device's memory on the current stream, through two pinned (page-locked)
 * staging buffers of {@link #CHUNK} bytes.
 *
 * <p>Note [pinned staging]: CPU tensors are Java heap arrays (Note [heap arrays] in CpuStorage), which the GC may
 * move, so they cannot be pinned and a {@code Tensor.pinMemory()} has nothing to pin. Instead every copy goes
 * through the device's staging buffers, chunk by chunk, alternating between the two:
 * <ul>
 *   <li>host to device: wait for the buffer's previous copy (its event), copy the chunk of the array into it, queue
 *       {@code cuMemcpyHtoDAsync} on the current stream and record the buffer's event. The call returns once the last
 *       chunk is queued: the array may change at once, the device copy is ordered on the stream, and the host never
 *       waits for the GPU's queue (what {@code non_blocking=True} from pinned memory gives in PyTorch, without its
 *       hazard). So {@code .to(device)} needs no {@code nonBlocking} argument.</li>
 *   <li>device to host: queue the chunk's {@code cuMemcpyDtoHAsync} into a buffer, and while it runs, drain the
 *       previous chunk from the other buffer into the array; the call returns when the array is complete, so it
 *       waits for the work queued before it on the current stream.</li>
 * </ul>
 * The buffers are made at the first copy and kept for the life of the process (8 MiB of pinned memory per device).
 * Where pinned memory cannot be had ({@code cuMemHostAlloc} fails), they are ordinary native memory: the same steps
 * stay correct, and the driver makes the copies synchronous.
 */
final class PinnedStaging {
    static final long CHUNK = 4 << 20;   // bytes of one staging buffer

    private final int device;
    private final Buffer[] buffers = new Buffer[2];
    private int next;

    /** A staging buffer and the event of the last copy that used it. */
    private static final class Buffer {
        final Pointer host;
        final CUevent_st event = new CUevent_st();
        boolean pending;   // a copy was queued since the last wait

        Buffer(Pointer host) { this.host = host; }

        void queued(CUstream_st stream) {
            Driver.check(cuEventRecord(event, stream), "cuEventRecord");
            pending = true;
        }

        void await() {
            if (pending) Driver.check(cuEventSynchronize(event), "cuEventSynchronize");
            pending = false;
        }
    }

    PinnedStaging(int device) { this.device = device; }

    /** Copies {@code count} elements of {@code array} to device address {@code dst} (see the note). */
    synchronized void toDevice(long dst, Object array, int count) {
        Driver.use(device);
        CUstream_st stream = DriverStreams.current(device);
        int item = itemSize(array), perChunk = (int) (CHUNK / item);
        for (int from = 0; from < count; from += perChunk) {
            int n = Math.min(perChunk, count - from);
            Buffer b = nextBuffer();
            put(b.host, array, from, n);
            Driver.check(cuMemcpyHtoDAsync(dst + (long) from * item, b.host, (long) n * item, stream),
                    "cuMemcpyHtoDAsync");
            b.queued(stream);
        }
    }

    /** Copies {@code count} elements from device address {@code src} into {@code array}, and waits for them. */
    synchronized void toHost(Object array, long src, int count) {
        Driver.use(device);
        CUstream_st stream = DriverStreams.current(device);
        int item = itemSize(array), perChunk = (int) (CHUNK / item);
        Buffer previous = null;
        int previousFrom = 0, previousCount = 0;
        for (int from = 0; from < count; from += perChunk) {
            int n = Math.min(perChunk, count - from);
            Buffer b = nextBuffer();
            Driver.check(cuMemcpyDtoHAsync(b.host, src + (long) from * item, (long) n * item, stream),
                    "cuMemcpyDtoHAsync");
            b.queued(stream);
            if (previous != null) drain(previous, array, previousFrom, previousCount);
            previous = b;
            previousFrom = from;
            previousCount = n;
        }
        if (previous != null) drain(previous, array, previousFrom, previousCount);
    }

    private static void drain(Buffer b, Object array, int from, int count) {
        b.await();
        get(b.host, array, from, count);
    }

    /** The other buffer than last time, made on first use, once its previous copy has finished. */
    private Buffer nextBuffer() {
        int i = next;
        next = 1 - next;
        if (buffers[i] == null) {
            buffers[i] = new Buffer(allocateHost());
            Driver.check(cuEventCreate(buffers[i].event, CU_EVENT_DISABLE_TIMING), "cuEventCreate");
        }
        buffers[i].await();
        return buffers[i];
    }

    private static Pointer allocateHost() {
        // the overload of cuMemHostAlloc that takes a Pointer passes its address as the void**: use a PointerPointer
        try (PointerPointer<Pointer> slot = new PointerPointer<>(1)) {
            if (cuMemHostAlloc(slot, CHUNK, 0) == CUDA_SUCCESS && !slot.get(0).isNull()) return slot.get(0);
        }
        return new BytePointer(CHUNK);   // pageable: correct, only slower (see the class comment)
    }

    static int itemSize(Object array) {
        return switch (array) {
            case float[] a -> 4;
            case double[] a -> 8;
            case short[] a -> 2;
            case long[] a -> 8;
            case int[] a -> 4;
            case byte[] a -> 1;
            default -> throw new IllegalArgumentException("no device copy of " + array.getClass().getSimpleName());
        };
    }

    private static void put(Pointer host, Object array, int from, int count) {
        switch (array) {
            case float[] a -> new FloatPointer(host).put(a, from, count);
            case double[] a -> new DoublePointer(host).put(a, from, count);
            case short[] a -> new ShortPointer(host).put(a, from, count);
            case long[] a -> new LongPointer(host).put(a, from, count);
            case int[] a -> new IntPointer(host).put(a, from, count);
            case byte[] a -> new BytePointer(host).put(a, from, count);
            default -> throw new IllegalArgumentException("no device copy of " + array.getClass().getSimpleName());
        }
    }

    private static void get(Pointer host, Object array, int from, int count) {
        switch (array) {
            case float[] a -> new FloatPointer(host).get(a, from, count);
            case double[] a -> new DoublePointer(host).get(a, from, count);
            case short[] a -> new ShortPointer(host).get(a, from, count);
            case long[] a -> new LongPointer(host).get(a, from, count);
            case int[] a -> new IntPointer(host).get(a, from, count);
            case byte[] a -> new BytePointer(host).get(a, from, count);
            default -> throw new IllegalArgumentException("no device copy of " + array.getClass().getSimpleName());
        }
    }
}
