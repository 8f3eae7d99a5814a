package dev.gpush.magics;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code %time CODE} and {@code %%time}: runs code once and prints IPython's CPU and wall times.
 *
 * <p>Rules: a line that is one expression is compiled first and only its run is timed; its value is the result. Any
 * other code (statements, declarations, a {@code %%time} cell) runs as a cell would, so that what it declares stays
 * in the session; its times then include JShell's compiling of each snippet (tens of ms). CPU time is that of the
 * thread that runs the code (the session's main thread); the GPU's queued work is waited for at both ends.
 */
final class TimeMagic implements Magic {

    @Override
    public String name() {
        return "time";
    }

    @Override
    public String help() {
        return "run code once and print its CPU and wall time";
    }

    @Override
    public String usage() {
        return "%time CODE, or %%time as a cell's first line";
    }

    @Override
    public String doc() {
        return """
                Prints, as IPython does:
                  CPU times: user 1.2 ms, sys: 0 ns, total: 1.2 ms
                  Wall time: 1.5 ms
                A line that is one expression is compiled first, so only its run is timed, and its value is the
                cell's result. Other code, and a %%time cell, runs as a cell (its declarations stay in the session)
                and its times include JShell's compiling (tens of ms a snippet): for small code use %timeit.
                CPU time is the session thread's own; user/sys are split by the kernel's 10 ms ticks, the total is
                exact. On a GPU, queued work is waited for before and after.
                Examples:
                  %time Tensor.randn(1000, 1000).matmul(Tensor.randn(1000, 1000))
                  %%time
                  var model = train(10);""";
    }

    @Override
    public Object run(MagicContext context, String args, String body) throws Exception {
        if (body != null && !args.isBlank()) {
            throw Args.usage(this, "%%time takes no arguments; the cell is the code");
        }
        String code = body != null ? body : args;
        if (code.isBlank()) {
            throw Args.usage(this, "no code to time");
        }
        Optional<Callable<Object>> expression =
                body == null ? CompiledCode.expression(context, code) : Optional.empty();
        Object value = null;
        boolean ok = true;
        var watch = Stopwatch.start();
        if (expression.isPresent()) {
            value = expression.get().call();
        } else {
            ok = context.eval(code);
        }
        var times = watch.stop();
        if (!ok) {
            throw new MagicException("%time: the timed code failed (see above)");
        }
        context.print(times.format());
        return value;
    }
}
