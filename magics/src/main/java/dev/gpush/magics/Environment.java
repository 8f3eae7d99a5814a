package dev.gpush.magics;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The session's environment variables: the JVM's own, under an overlay of those set with {@code %env}.
 *
 * <p>Rules: a JVM cannot change its own environment, so {@code System.getenv} in a cell never sees the overlay.
 * {@link #get}, {@link #all} and {@link #applyTo} do: {@code %env} reads them, and the processes that magics start
 * ({@code %%bash}, {@code %%sh}, and later {@code %launch}) get the overlay in their environment.
 */
public final class Environment {

    /** Parts of names whose values {@code %env} hides in its listing, as IPython does (case ignored). */
    static final String[] SECRET_PARTS = {"KEY", "TOKEN", "SECRET", "PASS", "CREDENTIAL", "AUTH", "PRIVATE"};

    private final Map<String, String> base;
    private final Map<String, String> overlay = new ConcurrentHashMap<>();

    public Environment() {
        this(System.getenv());
    }

    /** An environment over {@code base} instead of the JVM's (for tests). */
    Environment(Map<String, String> base) {
        this.base = Map.copyOf(base);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(overlay.getOrDefault(name, base.get(name)));
    }

    public void set(String name, String value) {
        overlay.put(name, value);
    }

    /** Every variable, the overlay's values winning, sorted by name. */
    public Map<String, String> all() {
        var all = new TreeMap<>(base);
        all.putAll(overlay);
        return all;
    }

    /** Puts the overlay into a child process's environment, as {@code ProcessBuilder.environment()}. */
    public void applyTo(Map<String, String> processEnvironment) {
        processEnvironment.putAll(overlay);
    }

    /** Whether a listing hides the value of {@code name}: it contains KEY, TOKEN, SECRET, PASS, ... */
    static boolean secret(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (String part : SECRET_PARTS) {
            if (upper.contains(part)) {
                return true;
            }
        }
        return false;
    }
}
