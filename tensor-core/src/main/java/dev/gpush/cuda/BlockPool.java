package dev.gpush.cuda;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The free blocks of one pool (small or large), ordered by (stream, size, address) as PyTorch's BlockComparator
 * orders them, so the best fit for a request on a stream is the first block at or after (stream, size, 0).
 */
final class BlockPool {
    private static final Comparator<Block> ORDER = Comparator.<Block>comparingLong(b -> b.stream)
            .thenComparingLong(b -> b.size)
            .thenComparingLong(b -> b.address);

    private final TreeSet<Block> blocks = new TreeSet<>(ORDER);

    void add(Block b) { blocks.add(b); }

    void remove(Block b) {
        if (!blocks.remove(b)) throw new IllegalStateException("allocator bug: " + b + " is not in its pool");
    }

    /** The smallest free block of {@code stream} that holds {@code size} bytes (lowest address on ties), or null. */
    Block bestFit(long stream, long size) {
        Block found = blocks.ceiling(new Block(stream, false, 0, size));
        return found != null && found.stream == stream ? found : null;
    }

    /** Free blocks that are whole segments (never split, or merged back), smallest first. */
    List<Block> wholeSegments() {
        List<Block> r = new ArrayList<>();
        for (Block b : blocks) if (!b.isSplit()) r.add(b);
        r.sort(Comparator.comparingLong((Block b) -> b.size).thenComparingLong(b -> b.address));
        return r;
    }

    int size() { return blocks.size(); }
}
