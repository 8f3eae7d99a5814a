package dev.gpush.tensor;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

class InterruptTest {
    @Test void aLoopOfTensorOpsStopsWhenItsThreadIsInterrupted() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch running = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            Tensor x = Tensor.ones(10);
            try {
                while (true) {
                    x = x.mul(1.0);
                    running.countDown();
                }
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        running.await();
        t.interrupt();
        t.join(10_000);
        assertFalse(t.isAlive(), "the loop did not stop");
        assertInstanceOf(InterruptedOpException.class, thrown.get());
        assertTrue(thrown.get().getMessage().contains("interrupted"));
    }

    @Test void theFlagIsClearedSoTheThreadCanGoOn() {
        Thread.currentThread().interrupt();
        assertThrows(InterruptedOpException.class, () -> Tensor.ones(2).add(1));
        assertEquals(2, Tensor.ones(2).add(1).sum().item() / 2);
    }
}
