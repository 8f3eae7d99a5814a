package dev.gpush.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code gpush bench} runs: a profile (sizes and timing), the thread count, and where results go.
 *
 * @param profile      sizes and timing (see {@link Profile})
 * @param threads      threads for gpush's CPU ops and OpenBLAS, and for NumPy's BLAS; 0 keeps the default
 * @param json         where to write the results as JSON, or null
 * @param compareNumpy run the same workloads in NumPy and print both side by side
 * @param python       the Python to run NumPy with, or null to search (see {@link Numpy})
 */
public record Options(Profile profile, int threads, Path json, boolean compareNumpy, String python) {

    /** Sizes and timing. Times are in seconds. */
    public enum Profile {
        FULL(List.of(256, 1024, 2048), 1_000_000, 1.0, 10, 0.2),
        QUICK(List.of(256, 1024), 1_000_000, 0.3, 5, 0.05),
        /** Tiny sizes and times, for the smoke test: checks the harness, measures nothing worth reading. */
        SMOKE(List.of(16, 32), 4096, 0.01, 3, 0.002);

        public final List<Integer> matmulSizes;
        public final int elements;        // of the memory-bound workloads (add, sum)
        public final double warmupSeconds; // at least this long, and until steady (see Harness)
        public final int runs;            // measured samples per workload
        public final double sampleSeconds; // the length of one sample

        Profile(List<Integer> matmulSizes, int elements, double warmupSeconds, int runs, double sampleSeconds) {
            this.matmulSizes = matmulSizes;
            this.elements = elements;
            this.warmupSeconds = warmupSeconds;
            this.runs = runs;
            this.sampleSeconds = sampleSeconds;
        }
    }

    public static final String USAGE = """
            usage: gpush bench [--quick | --smoke] [--threads N] [--json FILE] [--compare-numpy [--python PATH]] [--help]
              --quick          fewer, shorter runs; matmul up to 1024
              --smoke          tiny sizes and times: checks that the harness works, in a second or two
              --threads N      threads for gpush's CPU ops and OpenBLAS (and NumPy's BLAS); default: all cores
              --json FILE      also write the results as JSON
              --compare-numpy  run the same workloads in NumPy, with the same thread count, side by side
              --python PATH    the Python for --compare-numpy (default: $GPUSH_PYTHON, /usr/bin/python3, python3)
            """;

    /** Parses the command line; throws IllegalArgumentException naming the bad argument. */
    public static Options parse(String... args) {
        Profile profile = Profile.FULL;
        int threads = 0;
        Path json = null;
        boolean numpy = false;
        String python = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> profile = Profile.QUICK;
                case "--smoke" -> profile = Profile.SMOKE;
                case "--compare-numpy" -> numpy = true;
                case "--threads" -> {
                    String v = value(args, ++i, a);
                    try {
                        threads = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        threads = -1;
                    }
                    if (threads < 1) throw new IllegalArgumentException("--threads takes a positive number, got " + v);
                }
                case "--json" -> json = Path.of(value(args, ++i, a));
                case "--python" -> python = value(args, ++i, a);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        return new Options(profile, threads, json, numpy, python);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }
}
