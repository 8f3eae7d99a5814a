package dev.gpush.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The CUDA C sources under {@code resources/dev/gpush/cuda/kernels}, with the kernels each defines. What NVRTC
 * compiles is {@link #source()}: the prelude, a {@code #line} directive, then the file; CI compiles the same text
 * with nvcc (KernelSourceTest), so a kernel that reaches a GPU has been through a compiler.
 */
public enum KernelFile {
    ELEMENTWISE("elementwise.cu", "unary_f32", "unary_f64", "unary_i64", "binary_f32", "binary_f64", "binary_i64",
            "where_f32", "where_f64", "where_i64", "copy_f32", "copy_f64", "copy_i64", "fill_f64", "fill_i64",
            "unary_contig_b8", "unary_contig_i32", "unary_contig_i64", "unary_contig_f16", "unary_contig_bf16",
            "unary_contig_f32", "unary_contig_f64", "binary_contig_b8", "binary_contig_i32", "binary_contig_i64",
            "binary_contig_f16", "binary_contig_bf16", "binary_contig_f32", "binary_contig_f64", "fill_contig_b8",
            "fill_contig_i32", "fill_contig_i64", "fill_contig_f16", "fill_contig_bf16", "fill_contig_f32",
            "fill_contig_f64", "copy_contig"),
    REDUCE("reduce.cu", "reduce_f64", "reduce_i64", "reduce_parts_f64", "reduce_parts_i64", "cumsum_f64", "cumsum_i64"),
    RANDOM("random.cu", "random_fill"),
    MATMUL("matmul.cu", "matmul_i64"),
    INDEXING("indexing.cu", "gather", "scatter", "index_add", "nonzero_count", "nonzero_fill"),
    WINDOWS("windows.cu", "unfold2d_f32", "unfold2d_f64", "fold2d_f32", "fold2d_f64"),
    NORMS("norms.cu", "softmax_f32", "softmax_f64", "softmax_backward_f32", "softmax_backward_f64", "layer_norm_f32",
            "layer_norm_f64", "layer_norm_backward_f32", "layer_norm_backward_f64", "layer_norm_partials_f32",
            "layer_norm_partials_f64", "layer_norm_sum_f32", "layer_norm_sum_f64"),
    OPTIM("optim.cu", "adam_f32", "adam_f64");

    static final String FOLDER = "/dev/gpush/cuda/kernels/";
    static final String PRELUDE = "prelude.cuh";

    private final String file;
    private final List<String> kernels;
    private volatile String source;

    KernelFile(String file, String... kernels) {
        this.file = file;
        this.kernels = List.of(kernels);
    }

    public String file() { return file; }

    /** The extern "C" kernels this file defines. */
    public List<String> kernels() { return kernels; }

    /** The text the runtime compiles: prelude, then this file (with its own line numbers). */
    public String source() {
        String s = source;
        if (s == null) source = s = resource(PRELUDE) + "\n#line 1 \"" + file + "\"\n" + resource(file);
        return s;
    }

    /** The file's own text, without the prelude. */
    public String text() { return resource(file); }

    /** The file that defines {@code kernel}. */
    static KernelFile defining(String kernel) {
        for (KernelFile f : values()) if (f.kernels.contains(kernel)) return f;
        throw new IllegalArgumentException("no kernel file defines " + kernel);
    }

    static String resource(String name) {
        try (InputStream in = KernelFile.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) throw new IllegalStateException("kernel source " + FOLDER + name + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
