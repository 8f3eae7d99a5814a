package dev.gpush.bench;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;

/**
 * The CUDA facts and calls the bench needs, through reflection on {@code dev.gpush.cuda.Cuda}: the CPU path never
 * loads a CUDA class, and the bench compiles whatever state the CUDA backend is in.
 */
final class Gpu {
    private Gpu() {}

    private static final String FACADE = "dev.gpush.cuda.Cuda";

    /** Null when CUDA can run the bench, else why not. */
    static String unavailableReason() {
        try {
            if ((Boolean) call("isAvailable")) return null;
            return String.valueOf(call("unavailableReason"));
        } catch (RuntimeException | LinkageError e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    /** The device's name, the CUDA driver API version and, where nvidia-smi answers, the driver's. */
    static String describe() {
        String name = String.valueOf(call("deviceName", 0));
        int v = (Integer) call("driverVersion");
        String api = "CUDA driver API " + v / 1000 + "." + v % 1000 / 10;
        String smi = nvidiaSmiDriver();
        return name + ", " + (smi == null ? api : "driver " + smi + " (" + api + ")");
    }

    static void synchronize() { call("synchronize"); }

    static long memoryAllocated() { return (Long) call("memoryAllocated"); }

    static long maxMemoryAllocated() { return (Long) call("maxMemoryAllocated"); }

    static void resetPeakMemoryStats() { call("resetPeakMemoryStats"); }

    private static Object call(String method, Object... args) {
        try {
            Class<?>[] types = new Class<?>[args.length];
            for (int i = 0; i < args.length; i++) types[i] = args[i] instanceof Integer ? int.class : args[i].getClass();
            Method m = Class.forName(FACADE).getMethod(method, types);
            return m.invoke(null, args);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("this build has no CUDA backend (" + FACADE + " is missing)", e);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException(FACADE + "." + method + " cannot be called: " + e, e);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }

    private static String nvidiaSmiDriver() {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=driver_version", "--format=csv,noheader")
                    .redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) { // a wedged driver can hang it; its few bytes never fill the pipe
                p.destroyForcibly();
                return null;
            }
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.exitValue() != 0 || out.isEmpty()) return null;
            return out.lines().findFirst().orElse(null);
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
