package dev.gpush.magics;

import java.lang.reflect.Method;

/**
 * Waits for the GPU's queued work, so that a timing covers the kernels it launched and not only their launch.
 *
 * <p>Rules: {@code dev.gpush.cuda.Cuda} is reached by reflection, so that nothing here links against CUDA code;
 * when the class or its methods are missing, or {@code Cuda.isAvailable()} is false, it does nothing. The answer
 * of {@code isAvailable()} is asked once per JVM (the library caches it too).
 */
final class CudaSync {

    /** {@code Cuda.synchronize}, or null where there is no GPU to wait for. */
    private static volatile Method synchronize;
    private static volatile boolean looked;

    private CudaSync() {}

    /** Waits for the current device's queued work, if a GPU is in use. */
    static void synchronize() throws Exception {
        Method method = find();
        if (method != null) {
            try {
                method.invoke(null);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    private static Method find() {
        if (!looked) {
            synchronized (CudaSync.class) {
                if (!looked) {
                    synchronize = lookUp();
                    looked = true;
                }
            }
        }
        return synchronize;
    }

    private static Method lookUp() {
        try {
            Class<?> cuda = Class.forName("dev.gpush.cuda.Cuda");
            boolean available = (Boolean) cuda.getMethod("isAvailable").invoke(null);
            return available ? cuda.getMethod("synchronize") : null;
        } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
            return null; // no CUDA facade in this build, or it cannot answer: nothing to wait for
        }
    }
}
