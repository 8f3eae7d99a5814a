package dev.gpush.kernel.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gpush.io.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * {@code gpush kernel} as a real child process, spoken to over ZeroMQ without Python: it answers kernel_info with
 * status busy/idle around it, drops a badly signed request with a line on its standard error, and exits 0 on
 * shutdown. (The Python tests check the same kernel against jupyter_client itself.)
 */
class KernelProcessTest {

    static final String KEY = "test-key";
    /** A guard against a hung kernel, not a speed requirement. */
    static final int WAIT_MS = 120_000;

    @TempDir
    Path dir;

    final Wire wire = new Wire(new Signer(Signer.SCHEME, KEY));
    final Wire forger = new Wire(new Signer(Signer.SCHEME, "not the key"));
    final Session client = new Session();

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static Message request(String type, Map<String, Object> content) {
        var header = Map.<String, Object>of("msg_id", type + "-" + System.nanoTime(), "session", "client",
                "username", "test", "date", "2025-01-01T00:00:00.000000Z", "msg_type", type, "version", "5.3");
        return new Message(List.of(), header, Map.of(), Map.of(), content, List.of());
    }

    void send(ZMQ.Socket socket, Wire signedBy, Message message) {
        var frames = signedBy.encode(message);
        for (int i = 0; i < frames.size(); i++) {
            socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    Message receive(ZMQ.Socket socket) throws BadMessageException {
        socket.setReceiveTimeOut(WAIT_MS);
        byte[] first = socket.recv(0);
        if (first == null) {
            throw new AssertionError("no message within " + WAIT_MS + " ms");
        }
        var frames = new ArrayList<byte[]>(List.of(first));
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv(0));
        }
        return wire.decode(frames);
    }

    @Test
    void answersKernelInfoDropsABadSignatureAndExitsZeroOnShutdown() throws Exception {
        int shell = freePort();
        int control = freePort();
        int iopub = freePort();
        Path connection = Files.writeString(dir.resolve("kernel.json"), Json.write(Map.of(
                "shell_port", (long) shell, "control_port", (long) control, "iopub_port", (long) iopub,
                "stdin_port", (long) freePort(), "hb_port", (long) freePort(), "ip", "127.0.0.1", "transport", "tcp",
                "key", KEY, "signature_scheme", "hmac-sha256", "kernel_name", "gpush-process-test")));
        Path err = dir.resolve("kernel.err");
        var process = new ProcessBuilder(Jupyter.cli("kernel", connection.toString()))
                .redirectOutput(dir.resolve("kernel.out").toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try (var context = new ZContext()) {
            var shellSocket = context.createSocket(SocketType.DEALER);
            shellSocket.connect("tcp://127.0.0.1:" + shell);
            var controlSocket = context.createSocket(SocketType.DEALER);
            controlSocket.connect("tcp://127.0.0.1:" + control);
            var iopubSocket = context.createSocket(SocketType.SUB);
            iopubSocket.subscribe(new byte[0]);
            iopubSocket.connect("tcp://127.0.0.1:" + iopub);
            // A subscription takes effect some time after connecting (ZeroMQ's slow joiner), as jupyter_client
            // knows: ask until iopub answers, and only then watch the statuses of the request under test.
            boolean subscribed = false;
            for (int tries = 0; tries < 100 && !subscribed; tries++) {
                send(shellSocket, wire, request("kernel_info_request", Map.of()));
                receive(shellSocket);
                iopubSocket.setReceiveTimeOut(100);
                subscribed = iopubSocket.recv(0) != null;
                while (iopubSocket.recv(ZMQ.DONTWAIT) != null) {
                    // drain what the probes published
                }
            }
            assertTrue(subscribed, "iopub never published a status");
            Thread.sleep(200);
            while (iopubSocket.recv(ZMQ.DONTWAIT) != null) {
                // late frames of the probes
            }

            send(shellSocket, forger, request("kernel_info_request", Map.of()));
            var honest = request("kernel_info_request", Map.of());
            send(shellSocket, wire, honest);
            var reply = receive(shellSocket);
            assertEquals("kernel_info_reply", reply.type());
            assertEquals(honest.id(), reply.parentHeader().get("msg_id"), "the forged request got no reply");
            assertEquals("java", ((Map<?, ?>) reply.content().get("language_info")).get("name"));

            var states = new ArrayList<Object>();
            while (!states.contains("idle")) {
                var published = receive(iopubSocket);
                if (published.type().equals("status") && honest.id().equals(published.parentHeader().get("msg_id"))) {
                    states.add(published.content().get("execution_state"));
                }
            }
            assertEquals(List.of("busy", "idle"), states);

            send(controlSocket, wire, request("shutdown_request", Map.of("restart", false)));
            var shutdown = receive(controlSocket);
            assertEquals(Map.of("status", "ok", "restart", false), shutdown.content());
        }
        assertTrue(process.waitFor(WAIT_MS, TimeUnit.MILLISECONDS), "the kernel exits after shutdown_reply");
        assertEquals(0, process.exitValue());
        assertTrue(Files.readString(err).contains("gpush kernel: dropped a message on shell: bad signature"),
                Files.readString(err));
    }

    @Test
    void anUnusableConnectionFileOrATakenPortEndsWithExitTwoAndTheReason() throws IOException {
        var missing = Jupyter.run(Jupyter.cli("kernel", dir.resolve("absent.json").toString()), Map.of(), dir);
        assertEquals(KernelCommand.UNUSABLE_CONNECTION_FILE, missing.exit(), missing::toString);
        assertTrue(missing.err().startsWith("gpush kernel: cannot use " + dir.resolve("absent.json")), missing.err());

        try (var taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            Path connection = Files.writeString(dir.resolve("taken.json"), Json.write(Map.of("shell_port", (long) port,
                    "control_port", (long) freePort(), "iopub_port", (long) freePort(), "stdin_port", (long) freePort(),
                    "hb_port", (long) freePort(), "ip", "127.0.0.1", "key", KEY)));
            var busy = Jupyter.run(Jupyter.cli("kernel", connection.toString()), Map.of(), dir);
            assertEquals(KernelCommand.UNUSABLE_CONNECTION_FILE, busy.exit(), busy::toString);
            assertTrue(busy.err().contains("cannot bind tcp://127.0.0.1:" + port), busy.err());
        }
    }
}
