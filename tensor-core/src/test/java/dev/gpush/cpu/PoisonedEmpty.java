package dev.gpush.cpu;

import java.util.function.Supplier;

/**
 * Runs a computation with Note [poisoned empty] (CpuBackend) on or off, then restores the setting: lets a test
 * in any package compare an op under poisoned and zero-filled uninitialised storage in one JVM.
 */
public final class PoisonedEmpty {
    private PoisonedEmpty() {}

    public static <T> T with(boolean poison, Supplier<T> computation) {
        boolean was = CpuBackend.poisonEmpty(poison);
        try {
            return computation.get();
        } finally {
            CpuBackend.poisonEmpty(was);
        }
    }
}
