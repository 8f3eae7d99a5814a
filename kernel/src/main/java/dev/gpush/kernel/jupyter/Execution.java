package dev.gpush.kernel.jupyter;

import dev.gpush.kernel.engine.Engine;
import dev.gpush.kernel.engine.ErrorFormat;
import dev.gpush.kernel.engine.Evaluation;
import dev.gpush.kernel.engine.MimeBundle;
import dev.gpush.kernel.engine.Outcome;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One execute_request, run on the shell thread, as ipykernel runs it.
 *
 * <p>Rules:
 * <ul>
 *   <li>On IOPub: execute_input (unless silent), then the cell's streams and displays as they happen, then either
 *       execute_result (unless silent or there is no value) or error. On shell: execute_reply with the execution
 *       count, and on success the values of the user_expressions.
 *   <li>A cell stored in history takes the next execution count; a cell that is not (silent, or store_history
 *       false) reports the count the next stored cell will take.
 *   <li>A cell is named {@code In[N]} in compile errors and stack traces, as Jupyter labels it.
 *   <li>A failed cell with stop_on_error makes the kernel abort the execute requests already queued behind it.
 * </ul>
 */
final class Execution {

    private final Kernel kernel;
    private final Message request;
    private final CellFrontend frontend;

    Execution(Kernel kernel, Message request, CellFrontend frontend) {
        this.kernel = kernel;
        this.request = request;
        this.frontend = frontend;
    }

    /** Runs the cell and replies; answers whether it failed. */
    boolean run() {
        String code = request.string("code", "");
        boolean silent = request.bool("silent", false);
        boolean store = request.bool("store_history", !silent) && !silent;
        long count = store ? kernel.nextExecutionCount() : kernel.executionCount();
        if (!silent) {
            frontend.publish("execute_input", Map.of("code", code, "execution_count", count));
        }

        Engine engine;
        try {
            engine = kernel.engine();
        } catch (RuntimeException e) {
            return fail(count, Map.of("status", "error", "ename", "EngineStartError", "evalue", String.valueOf(e),
                    "traceback", List.of("The Java engine did not start: " + e)));
        }
        Evaluation evaluation;
        kernel.running(frontend);
        try {
            evaluation = engine.eval("In[" + count + "]", code, frontend);
        } finally {
            kernel.running(null);
            frontend.flush();
        }

        var failed = evaluation.failed();
        MimeBundle result = failed.isPresent() ? null : result(evaluation);
        if (store) {
            kernel.history().add(count, code, result == null ? null : result.text());
        }
        if (failed.isPresent()) {
            return fail(count, error(evaluation, failed.get()));
        }
        if (result != null && !silent) {
            frontend.publish("execute_result", Map.of("execution_count", count, "data", result.data(),
                    "metadata", result.metadata()));
        }
        var reply = new LinkedHashMap<String, Object>();
        reply.put("status", "ok");
        reply.put("execution_count", count);
        reply.put("payload", frontend.payload());
        reply.put("user_expressions", userExpressions(engine));
        kernel.shell().send(kernel.session().reply(request, "execute_reply", reply));
        return false;
    }

    private boolean fail(long count, Map<String, Object> error) {
        frontend.publish("error", Map.of("ename", error.get("ename"), "evalue", error.get("evalue"),
                "traceback", error.get("traceback")));
        var reply = new LinkedHashMap<String, Object>(error);
        reply.put("execution_count", count);
        reply.put("user_expressions", Map.of());
        reply.put("payload", List.of());
        kernel.shell().send(kernel.session().reply(request, "execute_reply", reply));
        return true;
    }

    /** The value the cell shows: its final expression's, rendered by the engine; null when there is none. */
    static MimeBundle result(Evaluation evaluation) {
        return evaluation.result();
    }

    /** Jupyter's error content for a failed snippet: a compile error is a {@code CompileError}. */
    static Map<String, Object> error(Evaluation evaluation, Outcome outcome) {
        String ename;
        String evalue;
        if (!outcome.problems().isEmpty()) {
            ename = "CompileError";
            evalue = outcome.problems().getFirst().message().lines().findFirst().orElse("");
        } else {
            ename = outcome.failure().className();
            evalue = outcome.failure().message() == null ? "" : outcome.failure().message();
        }
        var traceback = List.of(ErrorFormat.format(evaluation, outcome).split("\n"));
        return Map.of("status", "error", "ename", ename, "evalue", evalue, "traceback", traceback);
    }

    /** Each user expression's value, or its error, as ipykernel reports them. */
    private Map<String, Object> userExpressions(Engine engine) {
        var values = new LinkedHashMap<String, Object>();
        request.map("user_expressions").forEach((name, expression) -> {
            var evaluation = engine.eval(name, String.valueOf(expression), frontend);
            var failed = evaluation.failed();
            if (failed.isPresent()) {
                values.put(name, error(evaluation, failed.get()));
            } else {
                MimeBundle value = result(evaluation);
                value = value == null ? MimeBundle.text("") : value;
                values.put(name, Map.of("status", "ok", "data", value.data(), "metadata", value.metadata()));
            }
        });
        frontend.flush();
        return values;
    }
}
