package dev.gpush.magics;

import dev.gpush.cuda.Cuda;

/**
 * Waits for the GPU's queued work, so that a timing covers the kernels it launched and not only their launch. Where
 * CUDA is not available it does nothing; the facade probes once per JVM and caches the answer.
 */
final class CudaSync {

    private CudaSync() {}

    /** Waits for the current device's queued work, if a GPU is in use. */
    static void synchronize() {
        if (Cuda.isAvailable()) {
            Cuda.synchronize();
        }
    }
}
