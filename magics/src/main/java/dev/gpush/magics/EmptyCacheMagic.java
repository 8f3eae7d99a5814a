package dev.gpush.magics;

import dev.gpush.cuda.Cuda;

/**
 * {@code %empty_cache [--gc]}: returns the allocator's cached, unused GPU memory to the driver and says how much,
 * as {@code torch.cuda.empty_cache()}; with {@code --gc} it first collects tensors nobody references (so their
 * blocks become free and can be returned) and says how much the heap shrank.
 */
public final class EmptyCacheMagic implements Magic {

    @Override
    public String name() {
        return "empty_cache";
    }

    @Override
    public String help() {
        return "return cached GPU memory to the driver; --gc collects unreachable tensors first";
    }

    @Override
    public Object run(MagicContext context, String args, String body) throws InterruptedException {
        boolean gc = switch (args.strip()) {
            case "" -> false;
            case "--gc" -> true;
            default -> throw new MagicException("unknown argument " + args.strip() + "\nusage: %empty_cache [--gc]");
        };
        var text = new StringBuilder();
        if (gc) {
            long before = Memory.heapUsed();
            System.gc();
            Thread.sleep(50); // let the cleaners free what the collection found unreachable
            text.append("garbage collection: Java heap ").append(Sizes.bytes(before)).append(" -> ")
                    .append(Sizes.bytes(Memory.heapUsed())).append('\n');
        }
        if (!Cuda.isAvailable()) {
            text.append("CUDA is not available (").append(Cuda.unavailableReason()).append("): no GPU cache to empty.\n");
        } else {
            long[] before = new long[Cuda.deviceCount()];
            for (int i = 0; i < before.length; i++) {
                before[i] = Cuda.memoryReserved(i);
            }
            Cuda.emptyCache(); // every device at once
            for (int i = 0; i < before.length; i++) {
                long reserved = before[i];
                long after = Cuda.memoryReserved(i);
                text.append("cuda:").append(i).append(": reserved ").append(Sizes.bytes(reserved)).append(" -> ")
                        .append(Sizes.bytes(after)).append(", freed ").append(Sizes.bytes(reserved - after))
                        .append('\n');
            }
        }
        context.print(text.toString());
        return null;
    }
}
