package dev.gpush.distributed;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The process-group backends by name, and the one place that makes a group: it opens the rendezvous store and
 * hands it to the backend's factory.
 *
 * <p>"cpu" (also "gloo", PyTorch's name for it) runs everywhere. "nccl" runs where CUDA is usable and
 * {@code libnccl.so.2} was found; elsewhere asking for it is a {@link DistributedException} that says why
 * ({@link NcclChecks}), before any CUDA class is loaded. "auto" is "nccl" where it can run and "cpu" otherwise.
 * A backend's factory runs only when that backend is chosen, so NCCL's classes are never loaded by a CPU group.
 */
public final class ProcessGroups {
    private ProcessGroups() {}

    /** Makes this rank's group once the store is open; the group owns the store from then on. */
    @FunctionalInterface
    public interface Factory {
        ProcessGroup create(Rendezvous rendezvous, TcpStore store);
    }

    /** {@code unavailableReason} says why the backend cannot run here, or null when it can. */
    private record Entry(Supplier<String> unavailableReason, Factory factory) {}

    private static final Map<String, Entry> BACKENDS = new LinkedHashMap<>();

    static {
        register("cpu", () -> true, CpuProcessGroup::new);
        registerWithReason("nccl", NcclChecks::unavailableReason, (r, store) -> new NcclProcessGroup(r, store));
    }

    /** Adds (or replaces) a backend. */
    public static void register(String name, BooleanSupplier available, Factory factory) {
        registerWithReason(name, () -> available.getAsBoolean() ? null : "the " + name + " backend cannot run on "
                + "this machine", factory);
    }

    /** Adds (or replaces) a backend whose {@code unavailableReason} explains why it cannot run (null: it can). */
    public static synchronized void registerWithReason(String name, Supplier<String> unavailableReason, Factory factory) {
        BACKENDS.put(name, new Entry(unavailableReason, factory));
    }

    /** "auto" resolved: "nccl" when registered and able to run here, otherwise "cpu". */
    public static synchronized String resolve(String backend) {
        String name = backend == null ? "auto" : backend.trim().toLowerCase();
        if (name.equals("auto")) {
            Entry nccl = BACKENDS.get("nccl");
            return nccl != null && nccl.unavailableReason().get() == null ? "nccl" : "cpu";
        }
        if (name.equals("gloo")) return "cpu"; // PyTorch scripts say gloo for the CPU group
        Entry e = BACKENDS.get(name);
        if (e == null)
            throw new IllegalArgumentException("unknown process group backend '" + backend + "'; expected one of "
                    + BACKENDS.keySet() + ", gloo or auto");
        String why = e.unavailableReason().get();
        if (why != null) throw new DistributedException(why, -1);
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
