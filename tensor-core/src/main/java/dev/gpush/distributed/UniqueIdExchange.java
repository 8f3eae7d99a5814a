package dev.gpush.distributed;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Shares rank 0's NCCL unique id (128 opaque bytes from {@code ncclGetUniqueId}) with every rank through the
 * group's {@link TcpStore}, as PyTorch's ProcessGroupNCCL does. Plain bytes: no CUDA class is touched here, so the
 * exchange is tested without a GPU.
 *
 * <p>Rules:
 * <ul>
 *   <li>Each rank first claims its rank ({@code add} on a counter: a second process with the same RANK is named)
 *       and publishes its WORLD_SIZE; only rank 0 calls {@code makeId}.</li>
 *   <li>Every rank waits, until the rendezvous timeout, for all ranks to have published: {@code ncclCommInitRank}
 *       blocks without a timeout of its own, so who did not arrive is found and named here instead.</li>
 *   <li>Every rank returns the same bytes, rank 0's.</li>
 * </ul>
 */
final class UniqueIdExchange {
    private UniqueIdExchange() {}

    static final String PREFIX = "gpush/nccl/";

    /** Rank 0's id, on every rank; {@code makeId} is called on rank 0 only. */
    static byte[] share(Rendezvous r, TcpStore store, Supplier<byte[]> makeId) {
        int rank = r.rank(), size = r.worldSize();
        if (store.add(PREFIX + "claimed/" + rank, 1) > 1)
            throw new DistributedException("two processes joined as rank " + rank + ": every process needs its own RANK",
                    rank);
        byte[] id = null;
        if (rank == 0) {
            id = makeId.get();
            if (id == null || id.length == 0) throw new IllegalStateException("the NCCL unique id is empty");
            store.set(PREFIX + "uniqueId", id);
        }
        store.set(PREFIX + "joined/" + rank, String.valueOf(size));
        awaitAll(r, store);
        return id != null ? id : store.get(PREFIX + "uniqueId");
    }

    private static void awaitAll(Rendezvous r, TcpStore store) {
        long deadline = System.nanoTime() + r.timeout().toNanos();
        List<String> keys = new ArrayList<>();
        for (int p = 0; p < r.worldSize(); p++) keys.add(PREFIX + "joined/" + p);
        for (int p = 0; p < r.worldSize(); p++) {
            byte[] v = store.tryGet(keys.get(p), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (v == null) {
                List<Integer> missing = store.missing(keys).stream()
                        .map(k -> Integer.parseInt(k.substring(k.lastIndexOf('/') + 1))).toList();
                throw r.notArrived(missing.isEmpty() ? List.of(p) : missing);
            }
            int theirs = Integer.parseInt(new String(v, StandardCharsets.UTF_8));
            if (theirs != r.worldSize())
                throw new DistributedException("rank " + p + " was started with WORLD_SIZE=" + theirs + " but rank "
                        + r.rank() + " with WORLD_SIZE=" + r.worldSize() + ": every rank needs the same WORLD_SIZE", p);
        }
    }
}
