package dev.gpush.cuda;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The {@code kernelParams} of {@code cuLaunchKernel} (Note [kernel arguments] in {@link Kernels}), packed into one
 * native buffer that is reused by every launch: each argument's value goes into its own 8-byte aligned slot of
 * {@link #values}, and entry {@code i} of {@link #params} holds slot {@code i}'s address. {@code cuLaunchKernel}
 * copies the values when it queues the launch, so the buffer may be overwritten as soon as it returns.
 *
 * <p>Allocating a JavaCPP pointer per argument per launch, as the first version did, cost about 2 µs an argument
 * (JavaCPP's accounting of native memory), 7-12 µs an op; packing into this buffer costs well under 1 µs. Not
 * thread-safe: one per device, used under the device's launch lock. The buffer lives as long as the device.
 */
final class KernelArgs {
    static final int MAX_ARGS = 32;
    static final int MAX_BYTES = 4096;

    private final BytePointer values = new BytePointer(MAX_BYTES);
    private final LongPointer addresses = new LongPointer(MAX_ARGS);
    private final PointerPointer<?> params = new PointerPointer<>(addresses);

    /**
     * Packs {@code args} ({@code Integer}, {@code Long}, {@code Double}, or a {@code long[]} struct of 64-bit
     * fields passed by value) and returns the array of pointers to them, valid until the next call.
     */
    PointerPointer<?> pack(Object... args) {
        if (args.length > MAX_ARGS)
            throw new IllegalArgumentException("a kernel takes at most " + MAX_ARGS + " arguments here, got " + args.length);
        long offset = 0;
        for (int i = 0; i < args.length; i++) {
            long slot = offset;
            offset += switch (args[i]) {
                case Integer v -> { fits(slot, 8); values.putInt(slot, v); yield 8; }
                case Long v -> { fits(slot, 8); values.putLong(slot, v); yield 8; }
                case Double v -> { fits(slot, 8); values.putDouble(slot, v); yield 8; }
                case long[] struct -> {
                    fits(slot, 8L * struct.length);
                    for (int k = 0; k < struct.length; k++) values.putLong(slot + 8L * k, struct[k]);
                    yield 8L * struct.length;
                }
                case null -> throw new IllegalArgumentException("kernel argument " + i + " is null");
                default -> throw new IllegalArgumentException("unsupported kernel argument " + args[i].getClass());
            };
            addresses.put(i, values.address() + slot);
        }
        return params;
    }

    private static void fits(long offset, long size) {
        if (offset + size > MAX_BYTES)
            throw new IllegalArgumentException("kernel arguments take more than " + MAX_BYTES + " bytes");
    }
}
