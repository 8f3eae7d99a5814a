package dev.gpush.kernel.jupyter;

import dev.gpush.kernel.engine.InputStatus;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Answers the requests of the shell channel. Cursor positions in the protocol count Unicode code points; Java
 * strings count UTF-16 units, so positions are converted both ways.
 */
final class ShellRequests {

    private final Kernel kernel;

    ShellRequests(Kernel kernel) {
        this.kernel = kernel;
    }

    void handle(Message request) {
        switch (request.type()) {
            case "execute_request" -> execute(request);
            case "kernel_info_request" -> reply(request, "kernel_info_reply", KernelInfo.content());
            case "complete_request" -> complete(request);
            case "inspect_request" -> inspect(request);
            case "is_complete_request" -> isComplete(request);
            case "history_request" -> history(request);
            case "comm_info_request" -> reply(request, "comm_info_reply", Map.of("status", "ok", "comms", Map.of()));
            // no comm targets are registered: an opened comm is closed at once, as ipykernel does
            case "comm_open" -> kernel.iopub().send(kernel.session().publication(request, "comm_close",
                    Map.of("comm_id", request.string("comm_id", ""), "data", Map.of())));
            case "comm_msg", "comm_close" -> { }
            case "connect_request" -> reply(request, "connect_reply", connectReply());
            case "shutdown_request" -> kernel.shutdown(request, kernel.shell());
            default -> Log.warn("ignored a " + request.type() + " on shell");
        }
    }

    private void execute(Message request) {
        boolean failed = new Execution(kernel, request, kernel.frontendFor(request)).run();
        if (failed && request.bool("stop_on_error", true) && !request.bool("silent", false)) {
            abortQueuedExecutions();
        }
    }

    /** After a failed cell, the cells already queued behind it are not run, as in ipykernel. */
    private void abortQueuedExecutions() {
        Message queued;
        while ((queued = kernel.shell().receiveNow()) != null) {
            if (queued.type().equals("execute_request")) {
                var iopub = kernel.iopub();
                iopub.send(kernel.session().publication(queued, "status", Map.of("execution_state", "busy")));
                reply(queued, "execute_reply", Map.of("status", "aborted"));
                iopub.send(kernel.session().publication(queued, "status", Map.of("execution_state", "idle")));
            } else {
                kernel.handleShell(queued);
            }
        }
    }

    private void complete(Message request) {
        String code = request.string("code", "");
        int cursor = chars(code, request.integer("cursor_pos"));
        var completion = kernel.engine().complete(code, cursor);
        var content = new LinkedHashMap<String, Object>();
        content.put("status", "ok");
        content.put("matches", completion.matches());
        content.put("cursor_start", codePoints(code, completion.start()));
        content.put("cursor_end", codePoints(code, completion.end()));
        content.put("metadata", Map.of());
        reply(request, "complete_reply", content);
    }

    private void inspect(Message request) {
        String code = request.string("code", "");
        var docs = kernel.engine().inspect(code, chars(code, request.integer("cursor_pos")));
        reply(request, "inspect_reply", Map.of("status", "ok", "found", docs.isPresent(),
                "data", docs.<Map<String, Object>>map(text -> Map.of("text/plain", text)).orElse(Map.of()),
                "metadata", Map.of()));
    }

    private void isComplete(Message request) {
        InputStatus status = kernel.engine().isComplete(request.string("code", ""));
        var content = new LinkedHashMap<String, Object>();
        content.put("status", status.status().name().toLowerCase(Locale.ROOT));
        if (status.status() == InputStatus.Status.INCOMPLETE) {
            content.put("indent", status.indent());
        }
        reply(request, "is_complete_reply", content);
    }

    private void history(Message request) {
        History history = kernel.history();
        Long n = request.integer("n");
        var entries = switch (request.string("hist_access_type", "tail")) {
            case "range" -> history.range(orZero(request.integer("session")),
                    request.integer("start") == null ? 1 : request.integer("start"), request.integer("stop"));
            case "search" -> history.search(request.string("pattern", "*"), n, request.bool("unique", false));
            default -> history.tail(n == null ? 10 : n.intValue());
        };
        boolean output = request.bool("output", false);
        reply(request, "history_reply", Map.of("status", "ok",
                "history", entries.stream().map(e -> e.toReply(output)).toList()));
    }

    private Map<String, Object> connectReply() {
        var c = kernel.connection();
        return Map.of("status", "ok", "shell_port", c.shellPort(), "iopub_port", c.iopubPort(),
                "stdin_port", c.stdinPort(), "hb_port", c.hbPort(), "control_port", c.controlPort());
    }

    private void reply(Message request, String type, Map<String, Object> content) {
        kernel.shell().send(kernel.session().reply(request, type, content));
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    /** A cursor in code points as an index into {@code code}; no cursor means the end. */
    static int chars(String code, Long codePoints) {
        int total = code.codePointCount(0, code.length());
        long at = codePoints == null ? total : Math.clamp(codePoints, 0, total);
        return code.offsetByCodePoints(0, (int) at);
    }

    static int codePoints(String code, int chars) {
        return code.codePointCount(0, Math.clamp(chars, 0, code.length()));
    }
}
