package dev.gpush.tensor;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The contract a device's native storage relies on: freed once, by close or by the cleaner. */
class StorageLifetimeTest {
    /** A storage whose "native memory" is a counter of frees. */
    static final class NativeLike extends Storage {
        private boolean freed;

        NativeLike(AtomicInteger frees) {
            super(DType.FLOAT32, 1);
            freeWhenUnreachable(frees::incrementAndGet);
        }

        @Override public Device device() { return Device.CPU; }
        @Override protected void free() { freed = true; }
        @Override public boolean isFreed() { return freed; }
    }

    private static Tensor tensorOn(Storage s) {
        return new Tensor(s, new int[]{1}, new int[]{1}, 0, false);
    }

    @Test void closingTheLastTensorFreesOnceAtOnce() {
        AtomicInteger frees = new AtomicInteger();
        NativeLike s = new NativeLike(frees);
        Tensor a = tensorOn(s), b = tensorOn(s);
        a.close();
        assertEquals(0, frees.get());
        b.close();
        b.close();
        assertEquals(1, frees.get());
        assertTrue(b.isClosed());
    }

    @Test void unreachableStorageIsFreedByTheCleaner() throws InterruptedException {
        AtomicInteger frees = new AtomicInteger();
        for (int i = 0; i < 100; i++) tensorOn(new NativeLike(frees)); // never closed
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (frees.get() < 100 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(100, frees.get());
    }
}
