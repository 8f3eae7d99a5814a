package dev.gpush.kernel;

import dev.gpush.bench.Bench;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code gpush bench ...}: the benchmarks of the tensor library; its options are the harness's own. */
@Command(name = "bench", description = "Benchmark the tensor library (gpush bench --help for its options).")
final class BenchCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return Bench.run(args.toArray(String[]::new), System.out, System.err);
    }
}
