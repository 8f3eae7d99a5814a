package dev.gpush.tensor;

import java.util.ArrayList;

/**
 * Deterministic freeing: {@code try (var s = Scope.open()) { ... }} closes every tensor made inside the block
 * when it ends, except those kept with {@link Tensor#keep()} or {@link #keep(Tensor)}.
 *
 * <p>Rules:
 * <ul>
 *   <li>Scopes nest per thread. A tensor belongs to the innermost scope open on its thread when it was made.</li>
 *   <li>Keeping a tensor moves it to the enclosing scope, or out of scoping altogether at the outermost one.</li>
 *   <li>Library code that stores a tensor beyond the call (gradients, optimizer state, module parameters and
 *       buffers) keeps it, so a training step inside a scope frees its temporaries and nothing else.</li>
 *   <li>Closing a tensor drops its hold on the storage; a view kept outside still holds the storage alive.</li>
 *   <li>Tensors made outside any scope are freed by {@link Tensor#close()} or, failing that, when unreachable.</li>
 * </ul>
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private final Scope parent;
    private final Thread owner = Thread.currentThread();
    private final ArrayList<Tensor> tensors = new ArrayList<>();
    private boolean closed;

    private Scope(Scope parent) { this.parent = parent; }

    public static Scope open() {
        Scope s = new Scope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /** Runs {@code body} in a new scope and keeps only its result. */
    public static Tensor run(java.util.function.Supplier<Tensor> body) {
        try (Scope s = open()) {
            return s.keep(body.get());
        }
    }

    static void register(Tensor t) {
        Scope s = CURRENT.get();
        if (s != null) {
            t.scope = s;
            s.tensors.add(t);
        }
    }

    /** Keeps {@code t} alive past this scope; returns it. */
    public Tensor keep(Tensor t) {
        if (t != null) keep(t, this);
        return t;
    }

    /** Takes {@code t} out of scoping altogether: no scope will close it (gradients, optimizer state, parameters). */
    public static Tensor escape(Tensor t) {
        if (t != null) t.scope = null;
        return t;
    }

    static void keepInParent(Tensor t) {
        if (t.scope != null) keep(t, t.scope);
    }

    private static void keep(Tensor t, Scope from) {
        if (t.scope != from) return;
        Scope to = from.parent;
        while (to != null && to.closed) to = to.parent;
        t.scope = to;
        if (to != null) to.tensors.add(t);
    }

    /** Number of tensors this scope will close. */
    public int size() {
        int n = 0;
        for (Tensor t : tensors) if (t.scope == this) n++;
        return n;
    }

    @Override public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner)
            throw new IllegalStateException("a Scope must be closed on the thread that opened it");
        closed = true;
        for (Tensor t : tensors) {
            if (t.scope == this) {
                t.scope = null;
                t.close();
            }
        }
        tensors.clear();
        // restore the enclosing scope even when inner ones were left open by mistake
        CURRENT.set(parent);
    }
}
