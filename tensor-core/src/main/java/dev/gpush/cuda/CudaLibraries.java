package dev.gpush.cuda;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the CUDA libraries on this machine. gpush ships no CUDA libraries (the JavaCPP jars hold only the JNI glue),
 * so they come from a CUDA image, a toolkit install, or the {@code nvidia-*} Python wheels a PyTorch install brings.
 * Folders are searched in this order, the first hit of each library winning:
 * <ol>
 *   <li>{@code GPUSH_CUDA_PATH}: folders separated by ':', each also searched in its {@code lib64} and {@code lib};</li>
 *   <li>{@code CUDA_HOME} and {@code CUDA_PATH}, the same way;</li>
 *   <li>{@code LD_LIBRARY_PATH};</li>
 *   <li>{@code /usr/local/nvidia/lib64} (the NVIDIA container toolkit's mount), {@code /usr/local/cuda/lib64} and
 *       the versioned {@code /usr/local/cuda-*}/{@code lib64}, newest first;</li>
 *   <li>{@code /usr/lib/x86_64-linux-gnu} and {@code /usr/lib64} (the driver's {@code libcuda.so.1} lives here);</li>
 *   <li>the {@code nvidia/*}/{@code lib} folders of every Python {@code site-packages} or {@code dist-packages} found
 *       under {@code /usr/lib}, {@code /usr/local/lib}, {@code ~/.local/lib}, {@code $VIRTUAL_ENV/lib} and
 *       {@code $CONDA_PREFIX/lib}.</li>
 * </ol>
 */
public final class CudaLibraries {
    /** The libraries gpush looks for, in the order they are loaded (dependencies first), with what needs them. */
    public static final Map<String, String> WANTED = wanted();

    /**
     * cuDNN 9's libraries in {@link #WANTED}, dependencies first. The JNI glue links libcudnn_graph, _ops, _cnn and
     * _adv; cuDNN opens the others by soname. The probe skips them and {@code Cudnn} loads them at the first cuDNN
     * op (Note [cuDNN is optional]).
     */
    public static final java.util.List<String> CUDNN = WANTED.keySet().stream().filter(n -> n.startsWith("libcudnn")).toList();

    private static Map<String, String> wanted() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("libcuda.so.1", "the NVIDIA driver");
        m.put("libcudart.so.13", "the CUDA runtime");
        m.put("libnvrtc-builtins.so.13.*", "NVRTC's built-ins");
        m.put("libnvrtc.so.13", "NVRTC, the kernel compiler");
        m.put("libcublasLt.so.13", "cuBLASLt");
        m.put("libcublas.so.13", "cuBLAS");
        m.put("libcudnn.so.9", "cuDNN");
        m.put("libcudnn_graph.so.9", "cuDNN's graph API");
        m.put("libcudnn_engines_precompiled.so.9", "cuDNN's precompiled engines");
        m.put("libcudnn_engines_runtime_compiled.so.9", "cuDNN's runtime-compiled engines");
        m.put("libcudnn_heuristic.so.9", "cuDNN's heuristics");
        m.put("libcudnn_ops.so.9", "cuDNN's pooling and batch norm");
        m.put("libcudnn_cnn.so.9", "cuDNN's convolutions");
        m.put("libcudnn_adv.so.9", "cuDNN's RNN and attention");
        m.put("libnccl.so.2", "NCCL");
        m.put("libnvidia-ml.so.1", "NVML");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The folders searched, in order, and where each wanted library was found (absent when it was not). */
    public record Found(List<Path> searched, Map<String, Path> libraries) {
        /** The folders that hold at least one wanted library, in search order. */
        public List<Path> folders() {
            List<Path> r = new ArrayList<>();
            for (Path dir : searched)
                if (libraries.values().stream().anyMatch(p -> dir.equals(p.getParent()))) r.add(dir);
            return r;
        }

        /** One line per wanted library: its file, or "not found" with what it is for. */
        public String describe() {
            StringBuilder s = new StringBuilder();
            for (var e : WANTED.entrySet()) {
                Path p = libraries.get(e.getKey());
                s.append(String.format("  %-26s %s%n", e.getKey(), p != null ? p : "not found (" + e.getValue() + ")"));
            }
            return s.toString();
        }
    }

    private CudaLibraries() {}

    private static volatile Found cached;

    /** The libraries of this machine, searched once. */
    public static Found find() {
        Found f = cached;
        if (f == null) cached = f = find(System.getenv(), Path.of(System.getProperty("user.home")), Path.of("/"));
        return f;
    }

    /** The search with the environment, home and file-system root given (tests pass their own). */
    static Found find(Map<String, String> env, Path home, Path root) {
        List<Path> dirs = searchPath(env, home, root);
        Map<String, Path> found = new LinkedHashMap<>();
        for (String name : WANTED.keySet())
            for (Path dir : dirs) {
                Path hit = match(dir, name);
                if (hit != null) {
                    found.put(name, hit);
                    break;
                }
            }
        return new Found(dirs, found);
    }

    static List<Path> searchPath(Map<String, String> env, Path home, Path root) {
        Set<Path> dirs = new LinkedHashSet<>();
        for (String var : List.of("GPUSH_CUDA_PATH", "CUDA_HOME", "CUDA_PATH"))
            for (String entry : split(env.get(var))) {
                Path p = Path.of(entry);
                dirs.add(p);
                dirs.add(p.resolve("lib64"));
                dirs.add(p.resolve("lib"));
            }
        for (String entry : split(env.get("LD_LIBRARY_PATH"))) dirs.add(Path.of(entry));
        dirs.add(root.resolve("usr/local/nvidia/lib64"));
        dirs.add(root.resolve("usr/local/cuda/lib64"));
        for (Path cuda : children(root.resolve("usr/local"), "cuda-*")) dirs.add(cuda.resolve("lib64"));
        dirs.add(root.resolve("usr/lib/x86_64-linux-gnu"));
        dirs.add(root.resolve("usr/lib64"));
        List<Path> pythonLibs = new ArrayList<>(List.of(root.resolve("usr/lib"), root.resolve("usr/local/lib"),
                home.resolve(".local/lib")));
        for (String var : List.of("VIRTUAL_ENV", "CONDA_PREFIX"))
            if (env.get(var) != null) pythonLibs.add(Path.of(env.get(var), "lib"));
        for (Path lib : pythonLibs)
            for (Path python : children(lib, "python3*"))
                for (String packages : List.of("site-packages", "dist-packages"))
                    for (Path nvidia : children(python.resolve(packages).resolve("nvidia"), "*"))
                        dirs.add(nvidia.resolve("lib"));
        dirs.removeIf(d -> !Files.isDirectory(d));
        return new ArrayList<>(dirs);
    }

    private static List<String> split(String s) {
        if (s == null || s.isBlank()) return List.of();
        return Stream.of(s.split(":")).filter(x -> !x.isBlank()).toList();
    }

    /** Entries of {@code dir} matching {@code glob}, newest version first (reverse name order). */
    private static List<Path> children(Path dir, String glob) {
        if (!Files.isDirectory(dir)) return List.of();
        List<Path> r = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            ds.forEach(r::add);
        } catch (IOException e) {
            return List.of();
        }
        r.sort(Comparator.comparing(Path::toString).reversed());
        return r;
    }

    private static Path match(Path dir, String name) {
        if (!name.contains("*")) {
            Path p = dir.resolve(name);
            return Files.exists(p) ? p : null;
        }
        List<Path> hits = children(dir, name);
        return hits.isEmpty() ? null : hits.getFirst();
    }
}
