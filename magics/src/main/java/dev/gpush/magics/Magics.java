package dev.gpush.magics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The magics a session knows, by name.
 *
 * <p>Rules:
 * <ul>
 *   <li>A session knows the built-in magics, those that a jar on the class path declares as a
 *       {@code java.util.ServiceLoader} provider of {@link Magic}, and those registered from a cell with
 *       {@link #register(Magic)}.</li>
 *   <li>A registered magic replaces a built-in or found one of the same name, as in IPython.</li>
 *   <li>Registrations are kept for the JVM, not for one registry: a kernel or a REPL runs one session per process,
 *       and a cell has no other handle on its session. {@code %reset} keeps them, as IPython's does.</li>
 *   <li>{@code %name?} is the help of {@code %name}; an unknown name is an error that suggests the closest names.</li>
 * </ul>
 */
public final class Magics {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][\\w.-]*");
    /** Magics registered from cells, for every registry of this JVM. */
    private static final Map<String, Magic> REGISTERED = new ConcurrentSkipListMap<>();

    private final Map<String, Magic> byName = new TreeMap<>();
    private final Environment environment;

    public Magics(List<Magic> magics) {
        this(magics, new Environment());
    }

    Magics(List<Magic> magics, Environment environment) {
        magics.forEach(m -> byName.put(m.name(), m));
        this.environment = environment;
    }

    /** The environment that {@code %env} sets and that the processes magics start inherit. */
    public Environment environment() {
        return environment;
    }

    /** The built-in magics and those found on the class path. */
    public static Magics standard() {
        var environment = new Environment();
        var repositories = new MavenRepositories();
        var all = new ArrayList<Magic>(List.of(new LsMagic(), new HelpMagic(),
                new TimeMagic(), new TimeitMagic(),
                new EnvMagic(environment), new ShellMagic("bash", environment), new ShellMagic("sh", environment),
                new ClasspathMagic(), new JarsMagic(), new MavenMagic(repositories), new MavenRepoMagic(repositories),
                new LoadMagic(), new RunMagic(), new WriteFileMagic(),
                new WhoMagic(), new WhosMagic(), new ResetMagic()));
        all.addAll(providers());
        return new Magics(all, environment);
    }

    /**
     * The magics that jars on the class path declare. One that cannot be loaded is skipped with a line on standard
     * error, so that a broken jar costs its magic, not the session.
     */
    private static List<Magic> providers() {
        var found = new ArrayList<Magic>();
        var providers = ServiceLoader.load(Magic.class).iterator();
        for (int tries = 0; tries < 1000; tries++) { // bounded: each try consumes one provider or ends
            try {
                if (!providers.hasNext()) {
                    break;
                }
                found.add(providers.next());
            } catch (ServiceConfigurationError e) {
                System.err.println("gpush: a magic could not be loaded: " + e.getMessage());
            }
        }
        return found;
    }

    /**
     * Adds a magic to every session of this JVM, from a cell:
     * {@code Magics.register(new Magic() { ... })}. It replaces a magic of the same name.
     */
    public static void register(Magic magic) {
        String name = magic.name();
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a magic's name is a letter or _ then letters, digits, _ . or -; got "
                    + (name == null ? "null" : "'" + name + "'"));
        }
        REGISTERED.put(name, magic);
    }

    /** Removes a magic that {@link #register(Magic)} added; returns whether there was one. */
    public static boolean unregister(String name) {
        return REGISTERED.remove(name) != null;
    }

    public Optional<Magic> find(String name) {
        return Optional.ofNullable(REGISTERED.getOrDefault(name, byName.get(name)));
    }

    /** Every magic, by name. */
    public List<Magic> all() {
        var all = new TreeMap<>(byName);
        all.putAll(REGISTERED);
        return List.copyOf(all.values());
    }

    /**
     * The magic called {@code name}; for {@code name?}, one that shows the help of {@code name}. An unknown name is
     * an error that names the closest magics, if any is close.
     */
    public Magic get(String name) {
        if (name.endsWith("?") && name.length() > 1) {
            Magic magic = get(name.substring(0, name.length() - 1));
            return new Magic() {
                @Override
                public String name() {
                    return magic.name() + "?";
                }

                @Override
                public String help() {
                    return "the help of %" + magic.name();
                }

                @Override
                public Object run(MagicContext context, String args, String body) {
                    context.print(HelpMagic.text(magic));
                    return null;
                }
            };
        }
        return find(name).orElseThrow(() -> {
            List<String> close = closest(name);
            return new MagicException(close.isEmpty() ? "%" + name + " is not a magic; %lsmagic lists them"
                    : "%" + name + " is not a magic; did you mean " + close.stream().map(c -> "%" + c)
                    .collect(Collectors.joining(" or ")) + "? (%lsmagic lists them)");
        });
    }

    /** The names at the smallest edit distance from {@code name}, when it is at most 2 and less than its length. */
    List<String> closest(String name) {
        var names = all().stream().map(Magic::name).toList();
        int best = names.stream().mapToInt(n -> distance(name, n)).min().orElse(Integer.MAX_VALUE);
        if (best > 2 || best >= name.length()) {
            return List.of();
        }
        return names.stream().filter(n -> distance(name, n) == best)
                .sorted(Comparator.naturalOrder()).limit(3).toList();
    }

    /** Levenshtein distance, ignoring case: insertions, deletions and substitutions of one character. */
    static int distance(String a, String b) {
        String x = a.toLowerCase(java.util.Locale.ROOT);
        String y = b.toLowerCase(java.util.Locale.ROOT);
        int[] previous = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            int[] current = new int[y.length() + 1];
            current[0] = i;
            for (int j = 1; j <= y.length(); j++) {
                int substitute = previous[j - 1] + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            previous = current;
        }
        return previous[y.length()];
    }
}
