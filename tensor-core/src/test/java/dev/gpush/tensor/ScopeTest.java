package dev.gpush.tensor;

import dev.gpush.autograd.Autograd;
import org.junit.jupiter.api.Test;

import static dev.gpush.tensor.Tensor.*;
import static org.junit.jupiter.api.Assertions.*;

class ScopeTest {
    @Test void scopeClosesWhatWasMadeInsideExceptKeptTensors() {
        Tensor outside = ones(3);
        Tensor inner, kept;
        try (Scope s = Scope.open()) {
            inner = outside.mul(2);
            kept = inner.add(1);
            int before = s.size();
            kept.keep();
            assertEquals(before - 1, s.size());
        }
        assertTrue(inner.isClosed());
        assertFalse(kept.isClosed());
        assertFalse(outside.isClosed());
        assertArrayEquals(new float[]{3, 3, 3}, kept.toFloatArray());
        var e = assertThrows(IllegalStateException.class, inner::sum);
        assertTrue(e.getMessage().contains("tensor was closed"), e.getMessage());
    }

    @Test void keptTensorsMoveToTheEnclosingScope() {
        Tensor t;
        try (Scope outer = Scope.open()) {
            try (Scope inner = Scope.open()) {
                t = ones(2).keep();
            }
            assertFalse(t.isClosed());
            assertEquals(1, outer.size());
        }
        assertTrue(t.isClosed());
    }

    @Test void runKeepsOnlyItsResult() {
        Tensor r = Scope.run(() -> ones(4).mul(3).sum());
        assertEquals(12, r.item());
        assertFalse(r.isClosed());
    }

    @Test void aViewKeptOutsideKeepsTheStorageAlive() {
        Tensor v;
        try (Scope s = Scope.open()) {
            Tensor base = arange(6).view(2, 3);
            v = base.get(1).keep();
        }
        assertArrayEquals(new long[]{3, 4, 5}, v.toLongArray());
    }

    @Test void closeFreesStorageOnlyWhenTheLastHolderCloses() {
        Tensor a = arange(4);
        Tensor v = a.view(2, 2);
        a.close();
        a.close(); // idempotent
        assertTrue(a.isClosed());
        assertArrayEquals(new long[]{0, 1, 2, 3}, v.toLongArray());
        v.close();
        assertTrue(v.isClosed());
    }

    @Test void gradientsSurviveTheScopeOfTheTrainingStep() {
        Tensor w = randn(3).requiresGrad(true);
        for (int step = 0; step < 3; step++) {
            try (Scope s = Scope.open()) {
                w.mul(w).sum().backward();
            }
        }
        assertFalse(w.grad().isClosed());
        try (var ng = Autograd.noGrad()) {
            assertTrue(w.grad().allclose(w.mul(6)));
        }
    }

    @Test void tryWithResourcesClosesATensor() {
        Tensor keep;
        try (Tensor t = ones(2)) {
            keep = t;
        }
        assertTrue(keep.isClosed());
    }
}
