package dev.gpush.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpush.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Engine#queueCallback}: work a hook puts off until the whole backward pass has run (DDP's await). */
class QueueCallbackTest {

    @Test
    void aCallbackQueuedByHooksRunsOnceAfterEveryGradientOfThePass() {
        Tensor a = Tensor.of(1.0, 2.0).requiresGrad(true), b = Tensor.of(3.0).requiresGrad(true);
        List<String> log = new ArrayList<>();
        Runnable done = () -> log.add("done: a.grad " + a.grad().sum().item() + ", b.grad " + b.grad().item());
        for (Tensor leaf : List.of(a, b))
            leaf.registerPostAccumulateGradHook(t -> {
                log.add("hook");
                Engine.queueCallback(done);   // each hook queues it: it runs once
                Engine.queueCallback(() -> log.add("second callback"));
            });
        a.mul(b).sum().backward();
        assertEquals(List.of("hook", "hook", "done: a.grad 6.0, b.grad 3.0", "second callback", "second callback"), log);

        log.clear();
        a.mul(b).sum().backward();
        assertEquals("done: a.grad 12.0, b.grad 6.0", log.get(2), "a new pass queues it again");
    }

    @Test
    void aPassThatThrowsRunsNoCallback() {
        Tensor a = Tensor.of(1.0).requiresGrad(true);
        Tensor y = a.mul(2);
        List<String> log = new ArrayList<>();
        y.registerHook(g -> {                 // runs first: y's node comes before a's
            Engine.queueCallback(() -> log.add("callback"));
            log.add("queued");
            return null;
        });
        a.registerHook(g -> { throw new IllegalStateException("hook failed"); });
        var e = assertThrows(IllegalStateException.class, () -> y.sum().backward());
        assertEquals("hook failed", e.getMessage());
        assertEquals(List.of("queued"), log);
        assertThrows(IllegalStateException.class, () -> Engine.queueCallback(() -> {}), "the pass is over");
    }

    @Test
    void outsideABackwardPassQueueingIsRefused() {
        var e = assertThrows(IllegalStateException.class, () -> Engine.queueCallback(() -> {}));
        assertTrue(e.getMessage().contains("only be queued during a backward pass"), e::getMessage);
    }
}
