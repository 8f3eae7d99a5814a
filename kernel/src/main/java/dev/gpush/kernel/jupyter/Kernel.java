package dev.gpush.kernel.jupyter;

import dev.gpush.kernel.engine.Engine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The Jupyter kernel: five sockets bound as the connection file says, and the threads that serve them.
 *
 * <p>Rules:
 * <ul>
 *   <li>Threads: the shell thread (the one that calls {@link #serve}) takes shell requests one at a time and runs
 *       cells; the control thread takes control requests, so interrupt_request and shutdown_request work while a
 *       cell runs; the heartbeat thread echoes pings; one daemon thread publishes buffered output. No thread is made
 *       per request.
 *   <li>The sockets are bound and kernel_info is answered before the engine exists: the engine (JShell and its
 *       compiler) is built on a background thread at start, and the first request that needs it waits for it.
 *   <li>Every request, on shell or control, is wrapped in status busy and status idle on IOPub, with the request as
 *       their parent.
 *   <li>A request whose handling throws gets an error reply of its type and is logged; the kernel goes on.
 *   <li>Shutdown: the reply goes out on the channel that asked and on IOPub, a running cell is interrupted, the
 *       engine is closed (freeing what it holds) and the process exits 0. A cell that does not stop within
 *       {@value #SHUTDOWN_GRACE_MS} ms does not keep the process alive.
 * </ul>
 */
public final class Kernel {

    /** How long shutdown waits for a running cell to stop, in milliseconds. */
    static final long SHUTDOWN_GRACE_MS = 5000;
    /** How long closing waits for IOPub to send what it holds, in milliseconds. */
    private static final int LINGER_MS = 1000;

    private final ZContext context = new ZContext();
    private final Session session = new Session();
    private final Channel shell;
    private final Channel control;
    private final Channel stdin;
    private final Channel iopub;
    private final ConnectionFile connection;
    private final Heartbeat heartbeat;
    private final History history;
    private final ShellRequests shellRequests = new ShellRequests(this);
    private final CompletableFuture<Engine> engine = new CompletableFuture<>();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("output-flusher").daemon().factory());

    private volatile boolean running = true;
    private volatile CellFrontend runningCell;
    /** The count the next stored cell takes; touched by the shell thread only. */
    private long executionCount = 1;

    private Kernel(ConnectionFile connection) throws IOException {
        this.connection = connection;
        context.setLinger(LINGER_MS);
        var wire = new Wire(new Signer(connection.signatureScheme(), connection.key()));
        shell = new Channel("shell", bind(SocketType.ROUTER, connection.shellPort()), wire);
        control = new Channel("control", bind(SocketType.ROUTER, connection.controlPort()), wire);
        stdin = new Channel("stdin", bind(SocketType.ROUTER, connection.stdinPort()), wire);
        iopub = new Channel("iopub", bind(SocketType.PUB, connection.iopubPort()), wire);
        heartbeat = new Heartbeat(bind(SocketType.REP, connection.hbPort()));
        history = History.open(History.defaultFile(connection.kernelName()));
    }

    /** Starts a kernel for {@code connectionFile} and serves it until shutdown; answers the exit code. */
    public static int run(Path connectionFile) throws IOException {
        return new Kernel(ConnectionFile.read(connectionFile)).serve();
    }

    private ZMQ.Socket bind(SocketType type, int port) throws IOException {
        var socket = context.createSocket(type);
        try {
            socket.bind(connection.endpoint(port));
        } catch (ZMQException e) {
            context.close();
            throw new IOException("cannot bind " + connection.endpoint(port) + ": " + e.getMessage(), e);
        }
        return socket;
    }

    private int serve() {
        Thread heartbeatThread = Thread.ofPlatform().name("heartbeat").daemon().start(heartbeat);
        Thread controlThread = Thread.ofPlatform().name("control").daemon().start(this::serveControl);
        Thread.ofPlatform().name("engine-start").daemon().start(() -> {
            try {
                var started = new Engine();
                started.warmUp();
                engine.complete(started);
            } catch (Throwable e) {
                Log.warn("the engine did not start: " + e);
                engine.completeExceptionally(e);
            }
        });
        iopub.send(session.publication(null, "status", Map.of("execution_state", "starting")));
        while (running) {
            Message request = shell.receive();
            if (request != null) {
                handleShell(request);
            }
        }
        heartbeat.stop();
        try {
            controlThread.join(SHUTDOWN_GRACE_MS);
            heartbeatThread.join(SHUTDOWN_GRACE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flusher.shutdown();
        if (engine.isDone() && !engine.isCompletedExceptionally()) {
            engine.join().close();
        }
        context.close();
        return 0;
    }

    private void serveControl() {
        while (running) {
            Message request = control.receive();
            if (request != null) {
                handle(control, request, this::handleControl);
            }
        }
    }

    void handleShell(Message request) {
        handle(shell, request, shellRequests::handle);
    }

    private void handleControl(Message request) {
        switch (request.type()) {
            case "kernel_info_request" -> control.send(session.reply(request, "kernel_info_reply",
                    KernelInfo.content()));
            case "interrupt_request" -> {
                interrupt();
                control.send(session.reply(request, "interrupt_reply", Map.of("status", "ok")));
            }
            case "shutdown_request" -> shutdown(request, control);
            default -> Log.warn("ignored a " + request.type() + " on control");
        }
    }

    /** Runs {@code handler} between status busy and status idle; an exception becomes an error reply. */
    private void handle(Channel channel, Message request, Consumer<Message> handler) {
        iopub.send(session.publication(request, "status", Map.of("execution_state", "busy")));
        try {
            handler.accept(request);
        } catch (RuntimeException | Error e) { // even a StackOverflowError must not end the shell or control thread
            Log.warn("failed to handle a " + request.type() + " on " + channel.name() + ": " + e);
            if (request.type().endsWith("_request")) {
                String reply = request.type().replaceFirst("_request$", "_reply");
                channel.send(session.reply(request, reply, Map.of("status", "error", "ename",
                        e.getClass().getName(), "evalue", String.valueOf(e.getMessage()), "traceback",
                        List.of("gpush kernel: " + e))));
            }
        } finally {
            iopub.send(session.publication(request, "status", Map.of("execution_state", "idle")));
        }
    }

    /** Stops the running cell, and an input request it waits on. */
    void interrupt() {
        CellFrontend cell = runningCell;
        if (cell != null) {
            cell.cancelInput();
        }
        if (engine.isDone() && !engine.isCompletedExceptionally()) {
            engine.join().interrupt();
        }
    }

    void shutdown(Message request, Channel channel) {
        var content = Map.<String, Object>of("status", "ok", "restart", request.bool("restart", false));
        channel.send(session.reply(request, "shutdown_reply", content));
        iopub.send(session.publication(request, "shutdown_reply", content));
        running = false;
        if (runningCell != null) {
            interrupt();
            Thread.ofPlatform().daemon().name("shutdown-guard").start(() -> {
                try {
                    Thread.sleep(SHUTDOWN_GRACE_MS);
                } catch (InterruptedException e) {
                    return;
                }
                Log.warn("the running cell did not stop within " + SHUTDOWN_GRACE_MS + " ms; exiting anyway");
                System.exit(0);
            });
        }
    }

    /** The engine; waits for it while it starts. */
    Engine engine() {
        return engine.join();
    }

    CellFrontend frontendFor(Message request) {
        return new CellFrontend(iopub, stdin, session, request, request.bool("allow_stdin", true), flusher);
    }

    void running(CellFrontend cell) {
        runningCell = cell;
    }

    long nextExecutionCount() {
        return executionCount++;
    }

    long executionCount() {
        return executionCount;
    }

    Session session() {
        return session;
    }

    Channel shell() {
        return shell;
    }

    Channel iopub() {
        return iopub;
    }

    History history() {
        return history;
    }

    ConnectionFile connection() {
        return connection;
    }
}
