package dev.gpush.distributed;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The process-group backends by name, and the one place that makes a group: it opens the rendezvous store and
 * hands it to the backend's factory.
 *
 * <p>"cpu" is built in. A CUDA build registers "nccl" with a test of whether it can run here (a GPU and the NCCL
 * library present); "auto" picks "nccl" when it is registered and available, "cpu" otherwise.
 */
public final class ProcessGroups {
    private ProcessGroups() {}

    /** Makes this rank's group once the store is open; the group owns the store from then on. */
    @FunctionalInterface
    public interface Factory {
        ProcessGroup create(Rendezvous rendezvous, TcpStore store);
    }

    private record Entry(BooleanSupplier available, Factory factory) {}

    private static final Map<String, Entry> BACKENDS = new LinkedHashMap<>();

    static {
        register("cpu", () -> true, CpuProcessGroup::new);
    }

    /** Adds (or replaces) a backend. */
    public static synchronized void register(String name, BooleanSupplier available, Factory factory) {
        BACKENDS.put(name, new Entry(available, factory));
    }

    /** "auto" resolved: "nccl" when registered and available here, otherwise "cpu". */
    public static synchronized String resolve(String backend) {
        String name = backend == null ? "auto" : backend.trim().toLowerCase();
        if (name.equals("auto")) {
            Entry nccl = BACKENDS.get("nccl");
            return nccl != null && nccl.available().getAsBoolean() ? "nccl" : "cpu";
        }
        if (name.equals("gloo")) return "cpu"; // PyTorch scripts say gloo for the CPU group
        Entry e = BACKENDS.get(name);
        if (e == null && name.equals("nccl"))
            throw new IllegalArgumentException("the nccl backend is not in this build yet (it comes with the CUDA "
                    + "backend); use \"cpu\" for CPU tensors, or \"auto\"");
        if (e == null)
            throw new IllegalArgumentException("unknown process group backend '" + backend + "'; expected one of "
                    + BACKENDS.keySet() + " or auto");
        if (!e.available().getAsBoolean())
            throw new IllegalStateException("the " + name + " backend cannot run on this machine (no GPU, or no NCCL "
                    + "library); use \"cpu\" or \"auto\"");
        return name;
    }

    /** Joins the group described by {@code r} with {@code backend} ("cpu", "nccl" or "auto"). */
    public static ProcessGroup create(String backend, Rendezvous r) {
        Factory factory;
        synchronized (ProcessGroups.class) {
            factory = BACKENDS.get(resolve(backend)).factory();
        }
        TcpStore store = TcpStore.open(r);
        try {
            return factory.create(r, store);
        } catch (RuntimeException | Error e) {
            store.close();
            throw e;
        }
    }
}
