package dev.gpush.cuda;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Note [current stream]'s bookkeeping, on any machine: streams here are made from their parts (fake handles, no
 * driver), as the pool would make them.
 */
class CurrentStreamsTest {
    private static CudaStream fake(int device, long handle) { return CudaStream.of(device, handle, 0, null); }

    @AfterEach
    void backToTheDefaultStreams() {
        CurrentStreams.set(CurrentStreams.defaultStream(0));
        CurrentStreams.set(CurrentStreams.defaultStream(1));
    }

    @Test
    void aThreadWorksOnTheDefaultStreamUntilItSetsOne() {
        CudaStream d = CurrentStreams.get(0);
        assertTrue(d.isDefault());
        assertEquals(0, d.handle());
        assertSame(d, CurrentStreams.defaultStream(0));
        CudaStream s = fake(0, 0x1000);
        assertEquals(d, CurrentStreams.set(s), "set returns the stream it replaces");
        assertEquals(s, CurrentStreams.get(0));
    }

    @Test
    void theCurrentStreamIsPerThread() throws Exception {
        CudaStream s = fake(0, 0x1000);
        CurrentStreams.set(s);
        AtomicReference<CudaStream> seen = new AtomicReference<>();
        Thread other = new Thread(() -> seen.set(CurrentStreams.get(0)));
        other.start();
        other.join();
        assertTrue(seen.get().isDefault(), "another thread still works on the default stream: " + seen.get());
        assertEquals(s, CurrentStreams.get(0));
    }

    @Test
    void theCurrentStreamIsPerDevice() {
        CudaStream s1 = fake(1, 0x2000);
        CurrentStreams.set(s1);
        assertTrue(CurrentStreams.get(0).isDefault());
        assertEquals(s1, CurrentStreams.get(1));
        assertEquals(1, CurrentStreams.get(1).device());
    }

    @Test
    void streamContextsNestAndRestoreThePreviousStream() {
        CudaStream a = fake(0, 0x1000), b = fake(0, 0x2000);
        try (var outer = a.use()) {
            assertEquals(a, CurrentStreams.get(0));
            try (var inner = b.use()) {
                assertEquals(b, inner.stream());
                assertEquals(b, CurrentStreams.get(0));
            }
            assertEquals(a, CurrentStreams.get(0));
        }
        assertTrue(CurrentStreams.get(0).isDefault());
    }

    @Test
    void streamsAreEqualByDeviceAndHandle() {
        assertEquals(fake(0, 0x1000), fake(0, 0x1000));
        assertNotEquals(fake(0, 0x1000), fake(1, 0x1000));
        assertNotEquals(fake(0, 0x1000), fake(0, 0x2000));
        assertEquals("CudaStream(device=cuda:0, default)", CurrentStreams.defaultStream(0).toString());
        assertEquals("CudaStream(device=cuda:0, handle=0x1000, priority=0)", fake(0, 0x1000).toString());
    }

    @Test
    void thePoolHandsOutItsStreamsRoundRobinPerPriority() {
        List<Integer> made = new ArrayList<>();
        StreamPool pool = new StreamPool(priority -> {
            made.add(priority);
            return CudaStream.of(0, 0x1000L * made.size(), priority, null);
        });
        List<CudaStream> normal = new ArrayList<>();
        for (int i = 0; i < StreamPool.SIZE; i++) normal.add(pool.next(0));
        assertEquals(StreamPool.SIZE, normal.stream().distinct().count(), "the first SIZE streams are all different");
        assertEquals(normal.get(0), pool.next(0), "then the first comes back");
        CudaStream high = pool.next(-1);
        assertEquals(-1, high.priority());
        assertFalse(normal.contains(high), "high priority streams are a pool of their own");
        assertEquals(StreamPool.SIZE + 1, made.size(), "each stream is made once");
    }
}
