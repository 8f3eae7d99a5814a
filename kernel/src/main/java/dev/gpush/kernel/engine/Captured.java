package dev.gpush.kernel.engine;

import java.lang.reflect.Modifier;

/**
 * Hands a magic's value to the snippet that declares {@code x} in {@code x = %name args}: the engine puts the value
 * here and evaluates {@code Type x = (Type) Captured.take();} with the most specific public type of the value.
 */
public final class Captured {

    private static Object value;

    private Captured() {}

    static synchronized void put(Object v) {
        value = v;
    }

    /** The value a magic just gave, once. */
    public static synchronized Object take() {
        Object v = value;
        value = null;
        return v;
    }

    /** The declaration that takes the value into {@code name}. */
    static String declaration(String name, Object v) {
        Class<?> type = v == null ? Object.class : v.getClass();
        while (!Modifier.isPublic(type.getModifiers()) || type.getCanonicalName() == null
                || type.getName().startsWith("REPL.")) {
            type = type.getSuperclass() != null ? type.getSuperclass() : Object.class;
        }
        String typeName = type.getCanonicalName();
        return typeName + " " + name + " = (" + typeName + ") " + Captured.class.getName() + ".take();";
    }
}
