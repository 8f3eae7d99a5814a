package dev.gpush.magics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The magics a session knows, by name: the built-in ones plus any that a jar on the class path declares as a
 * {@code java.util.ServiceLoader} provider of {@link Magic}.
 */
public final class Magics {

    private final Map<String, Magic> byName = new TreeMap<>();

    public Magics(List<Magic> magics) {
        magics.forEach(m -> byName.put(m.name(), m));
    }

    /** The built-in magics and those found on the class path. */
    public static Magics standard() {
        var all = new ArrayList<Magic>(List.of(new LsMagic()));
        ServiceLoader.load(Magic.class).forEach(all::add);
        return new Magics(all);
    }

    public Optional<Magic> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every magic, by name. */
    public List<Magic> all() {
        return List.copyOf(byName.values());
    }

    /** The magic called {@code name}, or an error that says where the names are listed. */
    public Magic get(String name) {
        return find(name).orElseThrow(() -> new MagicException("%" + name + " is not a magic; %lsmagic lists them"));
    }
}
