package dev.gpush.kernel.jupyter;

import dev.gpush.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * gpush's Jupyter kernelspec: a folder with kernel.json and two logos.
 *
 * <p>Rules:
 * <ul>
 *   <li>The argv starts the kernel with the java of the JDK running the installer and the class path it runs with
 *       (the launcher's {@code kernel/target/classes} plus the dependency jars), all absolute, so the kernel starts
 *       without the launcher script or Maven.
 *   <li>{@code interrupt_mode} is {@code message}: Jupyter sends interrupt_request on control, never SIGINT.
 *   <li>Installing writes a fresh folder next to the target and then swaps it in, so a re-install replaces the old
 *       spec whole and never leaves a half-written one.
 *   <li>A name is what Jupyter allows: ASCII letters, digits, {@code .}, {@code _} and {@code -}.
 * </ul>
 */
final class KernelSpec {

    static final String DEFAULT_NAME = "gpush";
    static final String DISPLAY_NAME = "Java (gpush)";
    static final String MAIN_CLASS = "dev.gpush.kernel.Main";
    /** The JVM options of the gpush launcher script. */
    static final List<String> JVM_OPTIONS =
            List.of("--enable-native-access=ALL-UNNAMED", "-XX:+UseCompactObjectHeaders", "-Xss4m");
    static final List<String> LOGOS = List.of("logo-32x32.png", "logo-64x64.png");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private KernelSpec() {}

    static String checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a kernel name may hold only letters, digits, '.', '_' and '-', got '"
                    + name + "'");
        }
        return name;
    }

    /** The command Jupyter runs, {@code {connection_file}} included. */
    static List<String> argv() {
        var argv = new ArrayList<String>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(JVM_OPTIONS);
        argv.add("-cp");
        argv.add(Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry).toAbsolutePath().normalize().toString())
                .collect(Collectors.joining(java.io.File.pathSeparator)));
        argv.add(MAIN_CLASS);
        argv.add("kernel");
        argv.add("{connection_file}");
        return argv;
    }

    static Map<String, Object> kernelJson(String displayName) {
        var json = new LinkedHashMap<String, Object>();
        json.put("argv", argv());
        json.put("display_name", displayName);
        json.put("language", "java");
        json.put("interrupt_mode", "message");
        json.put("metadata", Map.of("debugger", false,
                "gpush", Map.of("version", KernelInfo.version(), "java_home", System.getProperty("java.home"))));
        return json;
    }

    /** Writes the spec as {@code kernels/name}, replacing any spec of that name; answers its folder. */
    static Path install(Path kernels, String name, String displayName) throws IOException {
        Path target = kernels.resolve(checkName(name));
        Files.createDirectories(kernels);
        Path fresh = Files.createTempDirectory(kernels, "." + name + "-");
        try {
            Files.writeString(fresh.resolve("kernel.json"), Json.write(kernelJson(displayName)) + "\n");
            for (String logo : LOGOS) {
                try (InputStream in = KernelSpec.class.getResourceAsStream(logo)) {
                    if (in == null) {
                        throw new IOException("the resource " + logo + " is missing from the build");
                    }
                    Files.copy(in, fresh.resolve(logo));
                }
            }
            fresh.toFile().setReadable(true, false);
            fresh.toFile().setExecutable(true, false);
            remove(target);
            Files.move(fresh, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            remove(fresh);
        }
        return target;
    }

    /** Deletes a folder and everything in it; answers whether it was there. */
    static boolean remove(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return false;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return true;
    }
}
