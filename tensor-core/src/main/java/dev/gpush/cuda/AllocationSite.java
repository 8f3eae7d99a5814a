package dev.gpush.cuda;

import java.security.CodeSource;
import java.util.Objects;

/**
 * Where an allocation was made, as the user sees it: the first stack frame outside gpush's library code. A JShell
 * snippet shows as its snippet class and line ({@code REPL.$JShell$12.do_it$(#12:1)}), a layer of the user's model
 * as its own source line. gpush's code is told apart by where its classes were loaded from, so tests and user code
 * in {@code dev.gpush} packages count as callers too.
 */
final class AllocationSite {
    private AllocationSite() {}

    private static final CodeSource LIBRARY = AllocationSite.class.getProtectionDomain().getCodeSource();
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    static String caller() {
        return WALKER.walk(frames -> frames
                .filter(f -> !isLibrary(f.getDeclaringClass()))
                .findFirst()
                .map(f -> f.getClassName() + "." + f.getMethodName() + "(" + f.getFileName() + ":" + f.getLineNumber() + ")")
                .orElse("unknown"));
    }

    private static boolean isLibrary(Class<?> c) {
        if (c.getName().startsWith("java.") || c.getName().startsWith("jdk.")) return true;
        return LIBRARY != null && Objects.equals(LIBRARY, c.getProtectionDomain().getCodeSource());
    }
}
