package dev.gpush.bench;

import dev.gpush.tensor.Device;

import java.nio.file.Path;

/**
 * What {@code gpush bench} runs: a profile (sizes and timing), the device, the thread count, the comparisons, and
 * where results go.
 *
 * @param profile      sizes and timing (see {@link Profile})
 * @param device       {@link Device#CPU} or {@link Device#CUDA}
 * @param threads      threads for gpush's CPU ops and OpenBLAS, and for PyTorch's and NumPy's; 0 keeps the default
 * @param json         where to write the results as JSON, or null
 * @param compareNumpy run the NumPy counterparts (matmul, add, sum) side by side
 * @param compareTorch run every workload in PyTorch side by side
 * @param python       the Python for the comparisons, or null to search (see {@link Python})
 */
public record Options(Profile profile, Device device, int threads, Path json, boolean compareNumpy,
                      boolean compareTorch, String python) {

    public static final String USAGE = """
            usage: gpush bench [--quick | --smoke] [--device cpu|cuda] [--threads N] [--json FILE]
                               [--compare-pytorch] [--compare-numpy] [--python PATH] [--help]
              --quick            smaller sizes, fewer and shorter runs: a few minutes on two cores
              --smoke            tiny sizes and times: checks that the harness works, in seconds
              --device D         cpu (default) or cuda
              --threads N        threads for gpush's CPU ops and OpenBLAS, and for PyTorch's and NumPy's;
                                 default: all cores
              --json FILE        also write the results as JSON
              --compare-pytorch  run the same workloads in PyTorch, same device, threads and sizes, side by side
              --compare-numpy    run matmul, add and sum in NumPy, side by side
              --python PATH      the Python for the comparisons (default: $GPUSH_PYTHON, /usr/bin/python3, python3)
            """;

    /** Parses the command line; throws IllegalArgumentException naming the bad argument. */
    public static Options parse(String... args) {
        Profile profile = Profile.FULL;
        Device device = Device.CPU;
        int threads = 0;
        Path json = null;
        boolean numpy = false, torch = false;
        String python = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--quick" -> profile = Profile.QUICK;
                case "--smoke" -> profile = Profile.SMOKE;
                case "--compare-numpy" -> numpy = true;
                case "--compare-pytorch" -> torch = true;
                case "--device" -> device = device(value(args, ++i, a));
                case "--threads" -> threads = positive(value(args, ++i, a), a);
                case "--json" -> json = Path.of(value(args, ++i, a));
                case "--python" -> python = value(args, ++i, a);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        return new Options(profile, device, threads, json, numpy, torch, python);
    }

    private static Device device(String v) {
        return switch (v) {
            case "cpu" -> Device.CPU;
            case "cuda" -> Device.CUDA;
            default -> throw new IllegalArgumentException("--device takes cpu or cuda, got " + v);
        };
    }

    private static int positive(String v, String option) {
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1) throw new IllegalArgumentException(option + " takes a positive number, got " + v);
        return n;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }
}
