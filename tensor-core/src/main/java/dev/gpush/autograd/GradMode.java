package dev.gpush.autograd;

/**
 * Whether ops record the graph on this thread. {@code try (var g = GradMode.disable()) {...}} is PyTorch's
 * {@code with torch.no_grad():}; closing restores the previous mode.
 */
public final class GradMode implements AutoCloseable {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[]{true});

    private final boolean previous;

    private GradMode(boolean enabled) {
        boolean[] cell = ENABLED.get();
        previous = cell[0];
        cell[0] = enabled;
    }

    public static boolean isEnabled() { return ENABLED.get()[0]; }

    public static GradMode disable() { return new GradMode(false); }

    public static GradMode enable() { return new GradMode(true); }

    public static GradMode set(boolean enabled) { return new GradMode(enabled); }

    @Override public void close() { ENABLED.get()[0] = previous; }
}
