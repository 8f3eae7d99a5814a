package dev.gpush.kernel.jupyter;

import dev.gpush.kernel.engine.Frontend;
import dev.gpush.kernel.engine.MimeBundle;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Where one execute_request's output goes: IOPub messages whose parent is the request, and input requests on stdin.
 *
 * <p>Rules:
 * <ul>
 *   <li>Text is published as stream messages while the cell runs: a write is sent at most {@value #FLUSH_MS} ms
 *       later, at once when {@value #FLUSH_CHARS} characters are waiting, and before any other message of the cell
 *       (a display, an input request, the result), so that the order of output is kept. Many small prints become
 *       few messages, as in ipykernel.
 *   <li>Writes may come from any thread, also after the cell has ended (a thread the cell started); they are
 *       published with this cell's parent.
 *   <li>{@link #input} asks on stdin only when the request allowed it, and gives up when the cell is interrupted.
 * </ul>
 */
final class CellFrontend implements Frontend {

    /** The longest a write waits before it is published, in milliseconds. */
    static final int FLUSH_MS = 50;
    /** Waiting text longer than this is published at once, in characters. */
    static final int FLUSH_CHARS = 1 << 15;

    private final Channel iopub;
    private final Channel stdin;
    private final Session session;
    private final Message parent;
    private final boolean allowStdin;
    private final ScheduledExecutorService flusher;

    private final StringBuilder text = new StringBuilder();
    private Stream textStream;
    private boolean flushScheduled;
    private volatile boolean inputCancelled;
    private volatile String nextInput;

    CellFrontend(Channel iopub, Channel stdin, Session session, Message parent, boolean allowStdin,
                 ScheduledExecutorService flusher) {
        this.iopub = iopub;
        this.stdin = stdin;
        this.session = session;
        this.parent = parent;
        this.allowStdin = allowStdin;
        this.flusher = flusher;
    }

    /** {@code %load}: the text goes back in execute_reply's payload, and the notebook puts it in the next cell. */
    @Override
    public void setNextInput(String text) {
        nextInput = text;
    }

    /** The execute_reply payload: set_next_input when a magic asked for it, else nothing. */
    java.util.List<Object> payload() {
        String text = nextInput;
        return text == null ? java.util.List.of()
                : java.util.List.of(java.util.Map.of("source", "set_next_input", "text", text, "replace", false));
    }

    @Override
    public synchronized void write(Stream stream, String more) {
        if (textStream != stream) {
            flush();
            textStream = stream;
        }
        text.append(more);
        if (text.length() >= FLUSH_CHARS) {
            flush();
        } else if (!flushScheduled) {
            flushScheduled = true;
            try {
                flusher.schedule(this::flush, FLUSH_MS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                flush(); // the kernel is shutting down: no more waiting
            }
        }
    }

    /** Publishes the text waiting, if any. */
    synchronized void flush() {
        flushScheduled = false;
        if (text.isEmpty()) {
            return;
        }
        String name = textStream == Stream.STDERR ? "stderr" : "stdout";
        publish("stream", Map.of("name", name, "text", text.toString()));
        text.setLength(0);
    }

    @Override
    public synchronized void display(MimeBundle bundle, String displayId, boolean update) {
        flush();
        var content = new LinkedHashMap<String, Object>();
        content.put("data", bundle.data());
        content.put("metadata", bundle.metadata());
        content.put("transient", displayId == null ? Map.of() : Map.of("display_id", displayId));
        publish(update ? "update_display_data" : "display_data", content);
    }

    @Override
    public synchronized void clearOutput(boolean wait) {
        flush();
        publish("clear_output", Map.of("wait", wait));
    }

    /** Publishes {@code type} on IOPub with this cell's request as its parent. */
    void publish(String type, Map<String, Object> content) {
        iopub.send(session.publication(parent, type, content));
    }

    @Override
    public String input(String prompt, boolean password) throws IOException {
        flush();
        if (!allowStdin) {
            throw new IOException("input is not available: this front end does not answer input requests "
                    + "(allow_stdin is false)");
        }
        synchronized (stdin) {
            inputCancelled = false;
            stdin.drain(); // a reply to an earlier, interrupted request must not answer this one
            stdin.send(session.reply(parent, "input_request", Map.of("prompt", prompt, "password", password)));
            while (true) {
                if (inputCancelled || Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("input interrupted");
                }
                Message reply = stdin.receive();
                if (reply != null && reply.type().equals("input_reply")) {
                    return reply.string("value", "");
                }
            }
        }
    }

    /** Makes a waiting {@link #input} give up; the kernel calls it on interrupt_request. */
    void cancelInput() {
        inputCancelled = true;
    }
}
