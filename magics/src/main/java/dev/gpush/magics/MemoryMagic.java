package dev.gpush.magics;

import dev.gpush.cuda.Cuda;
import dev.gpush.cuda.MemorySite;
import java.util.List;
import java.util.Map;

/**
 * {@code %memory [--device N] [--sites] [--reset-peak]}: the caching allocator's summary in PyTorch's
 * {@code memory_summary} layout, with live tensors (the allocator's active blocks) counted; {@code --sites} lists the
 * largest live allocations by where they were made, which is how a leak is found; {@code --reset-peak} starts the
 * peaks afresh. Without a GPU: the Java heap, which holds CPU tensors.
 */
public final class MemoryMagic implements Magic {

    static final String USAGE = "usage: %memory [--device N] [--sites] [--reset-peak]";
    static final int SITES = 10;

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public String help() {
        return "GPU memory: allocated, reserved, peaks, live tensors; --sites shows where the largest live "
                + "allocations were made";
    }

    @Override
    public Object run(MagicContext context, String args, String body) {
        int device = -1;
        boolean sites = false, resetPeak = false;
        String[] words = args.isBlank() ? new String[0] : args.trim().split("\\s+");
        for (int i = 0; i < words.length; i++) {
            switch (words[i]) {
                case "--sites" -> sites = true;
                case "--reset-peak" -> resetPeak = true;
                case "--device" -> {
                    if (i + 1 == words.length) {
                        throw new MagicException("--device needs a number\n" + USAGE);
                    }
                    try {
                        device = Integer.parseInt(words[++i].replaceFirst("^cuda:", ""));
                    } catch (NumberFormatException e) {
                        throw new MagicException("--device takes a number, got " + words[i] + "\n" + USAGE);
                    }
                }
                default -> throw new MagicException("unknown argument " + words[i] + "\n" + USAGE);
            }
        }
        if (!Cuda.isAvailable()) {
            context.print("CUDA is not available (" + Cuda.unavailableReason() + "): no GPU memory to show.\n"
                    + "CPU tensors live in the Java heap: " + Memory.heap() + ".\n");
            return null;
        }
        if (device < 0) {
            device = Cuda.currentDevice();
        }
        if (device >= Cuda.deviceCount()) {
            throw new MagicException("no device cuda:" + device + "; there are " + Cuda.deviceCount());
        }
        if (resetPeak) {
            Cuda.resetPeakMemoryStats(device);
        }
        Map<String, Long> stats = Cuda.memoryStats(device);
        var text = new StringBuilder(Cuda.memorySummary(device));
        text.append("live tensors (active blocks): ").append(stats.getOrDefault("active.all.current", 0L))
                .append(", ").append(Sizes.bytes(stats.getOrDefault("active_bytes.all.current", 0L))).append('\n');
        if (sites) {
            text.append(sites(device));
        }
        context.print(text.toString());
        return null;
    }

    private static String sites(int device) {
        if (!Cuda.isRecordingMemoryHistory(device)) {
            Cuda.recordMemoryHistory(true);
            return "Allocation sites were not being recorded; recording starts now. Run the code that holds memory, "
                    + "then %memory --sites again.\n";
        }
        List<MemorySite> all = Cuda.memorySites(device);
        var table = new Table("largest live allocations by where they were made", "bytes", "blocks", "made at");
        all.stream().limit(SITES).forEach(s -> table.row(Sizes.bytes(s.bytes()), s.count(), s.site()));
        if (all.size() > SITES) {
            table.note("... and " + (all.size() - SITES) + " more sites");
        }
        return table.toString();
    }
}
