package dev.gpush.magics;

import java.util.ArrayList;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code %timeit [-n N] [-r R] [-q] [-o] CODE} and {@code %%timeit [...] [SETUP]}: times code over many calls, as
 * IPython's {@code %timeit}.
 *
 * <p>Rules:
 * <ul>
 *   <li>The code is compiled once ({@link CompiledCode}) and the loop calls it: source is never evaluated again.</li>
 *   <li>The very first call is timed alone and reported apart: it pays class loading and JIT warm-up.</li>
 *   <li>Without {@code -n}, loops go 1, 10, 100, ... until one run takes at least 0.2 s, as IPython's auto-range.
 *       Then {@code R} runs (7 by default) of that many loops; the mean and population standard deviation of the
 *       time per loop are printed with IPython's units and wording.</li>
 *   <li>In a cell, the rest of the {@code %%timeit} line is setup code, run once as a cell before timing.</li>
 *   <li>On a GPU, each run waits for the queued work before its clock stops.</li>
 * </ul>
 */
final class TimeitMagic implements Magic {

    static final int DEFAULT_REPEAT = 7;
    static final double MIN_RUN_SECONDS = 0.2;
    static final int PRECISION = 3;

    /** Where the values of timed calls go, so that the JIT cannot drop a call whose value nobody reads. */
    static Object sink;

    private static final Pattern FLAG = Pattern.compile("-([qo])(?:\\s+(.*))?", Pattern.DOTALL);
    private static final Pattern NUMBER = Pattern.compile("-([nr])\\s*(\\S*)\\s*(.*)", Pattern.DOTALL);

    @Override
    public String name() {
        return "timeit";
    }

    @Override
    public String help() {
        return "time code over many runs: mean ± std. dev. per loop";
    }

    @Override
    public String usage() {
        return "%timeit [-n N] [-r R] [-q] [-o] CODE, or %%timeit [-n N] [-r R] [-q] [-o] [SETUP] as a cell's "
                + "first line";
    }

    @Override
    public String doc() {
        return """
                Prints, as IPython does:
                  18 µs ± 2.73 µs per loop (mean ± std. dev. of 7 runs, 100,000 loops each)
                  (first run: 3.1 ms, JIT warm-up)
                The code (an expression or statements) is compiled once and called in a loop. Its first call is
                timed apart: the JVM loads classes and compiles hot code then.
                  -n N   loops per run (default: 1, 10, 100, ... until a run takes 0.2 s)
                  -r R   runs (default 7)
                  -q     print nothing
                  -o     return the TimeitResult (loops, allRuns, average(), stdev(), best(), firstRun)
                In %%timeit the rest of the first line is setup, run once as a cell before timing.
                On a GPU each run waits for the device, so the time covers the kernels, not only their launch.
                Examples:
                  %timeit Tensor.ones(8).add(1)
                  %timeit -n 100 -r 3 x.matmul(x)
                  %%timeit var x = Tensor.randn(256, 256);
                  x.matmul(x).relu();""";
    }

    /** The options and the code or setup that follows them. */
    record Options(long loops, int repeat, boolean quiet, boolean result, String rest) {}

    /** Reads options from the start of {@code args}; the rest is code (or setup, in a cell), kept as written. */
    Options parse(String args) {
        long loops = 0;
        int repeat = DEFAULT_REPEAT;
        boolean quiet = false;
        boolean result = false;
        String rest = args.strip();
        while (true) {
            Matcher flag = FLAG.matcher(rest);
            Matcher number = NUMBER.matcher(rest);
            if (flag.matches()) {
                quiet |= flag.group(1).equals("q");
                result |= flag.group(1).equals("o");
                rest = flag.group(2) == null ? "" : flag.group(2);
            } else if (number.matches()) {
                long value = positive("-" + number.group(1), number.group(2));
                if (number.group(1).equals("n")) {
                    loops = value;
                } else {
                    repeat = (int) Math.min(value, Integer.MAX_VALUE);
                }
                rest = number.group(3);
            } else {
                return new Options(loops, repeat, quiet, result, rest);
            }
        }
    }

    private long positive(String option, String value) {
        try {
            long number = Long.parseLong(value);
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw Args.usage(this, option + " needs a whole number of at least 1, got '" + value + "'");
    }

    @Override
    public Object run(MagicContext context, String args, String body) throws Exception {
        Options options = parse(args);
        String code = body != null ? body : options.rest();
        if (code.isBlank()) {
            throw Args.usage(this, "no code to time");
        }
        if (body != null && !options.rest().isBlank() && !context.eval(options.rest())) {
            throw new MagicException("%%timeit: the setup failed (see above)");
        }
        long compileStart = System.nanoTime();
        Callable<Object> compiled = CompiledCode.compile(context, code);
        double compileTime = (System.nanoTime() - compileStart) / 1e9;

        double first = time(compiled, 1);
        long loops = options.loops();
        if (loops == 0) {
            for (int index = 0; index < 10; index++) {
                loops = (long) Math.pow(10, index);
                if (time(compiled, loops) >= MIN_RUN_SECONDS) {
                    break;
                }
            }
        }
        var runs = new ArrayList<Double>();
        for (int i = 0; i < options.repeat(); i++) {
            runs.add(time(compiled, loops));
        }
        var result = new TimeitResult(loops, options.repeat(), runs, first, compileTime, PRECISION);
        if (!options.quiet()) {
            context.print(report(result));
        }
        return options.result() ? result : null;
    }

    /** What {@code %timeit} prints: IPython's caching warning when it applies, its line, and the first run. */
    static String report(TimeitResult result) {
        var text = new StringBuilder();
        if (result.worst() > 4 * result.best() && result.best() > 0 && result.worst() > 1e-6) {
            text.append(String.format(Locale.ROOT, "The slowest run took %.2f times longer than the fastest. This "
                    + "could mean that an intermediate result is being cached.\n", result.worst() / result.best()));
        }
        return text.append(result.summary()).append('\n').append(result.firstRunNote()).append('\n').toString();
    }

    /** Seconds for {@code loops} calls, the GPU's work included; stops between calls when interrupted. */
    private static double time(Callable<Object> code, long loops) throws Exception {
        CudaSync.synchronize();
        long start = System.nanoTime();
        for (long i = 0; i < loops; i++) {
            sink = code.call();
            if (Thread.interrupted()) {
                throw new InterruptedException("%timeit was interrupted");
            }
        }
        CudaSync.synchronize();
        return (System.nanoTime() - start) / 1e9;
    }
}
