package dev.gpush.kernel.jupyter;

import dev.gpush.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a Jupyter connection file says: where to bind the five sockets and how to sign messages. The transport must
 * be {@code tcp}: JeroMQ emulates {@code ipc} over TCP, which libzmq clients (jupyter_client) cannot reach, so an
 * {@code ipc} file is refused with that reason rather than left to hang.
 */
record ConnectionFile(String transport, String ip, int shellPort, int controlPort, int stdinPort, int iopubPort,
                      int hbPort, String key, String signatureScheme, String kernelName) {

    static ConnectionFile read(Path file) throws IOException {
        Map<?, ?> json;
        try {
            json = Json.parse(Files.readString(file)) instanceof Map<?, ?> map ? map : Map.of();
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not JSON: " + e.getMessage(), e);
        }
        String transport = string(json, "transport", "tcp");
        if (!transport.equals("tcp")) {
            throw new IOException(file + ": transport " + transport + " is not supported; gpush's kernel speaks tcp "
                    + "(JeroMQ's ipc is emulated over TCP and cannot talk to libzmq clients)");
        }
        return new ConnectionFile(transport, string(json, "ip", "127.0.0.1"),
                port(json, "shell_port", file), port(json, "control_port", file), port(json, "stdin_port", file),
                port(json, "iopub_port", file), port(json, "hb_port", file), string(json, "key", ""),
                string(json, "signature_scheme", Signer.SCHEME), string(json, "kernel_name", "gpush"));
    }

    /** The ZeroMQ endpoint of {@code port}. */
    String endpoint(int port) {
        return transport + "://" + ip + ":" + port;
    }

    private static String string(Map<?, ?> json, String key, String otherwise) {
        return json.get(key) instanceof String value && !value.isEmpty() ? value : otherwise;
    }

    private static int port(Map<?, ?> json, String key, Path file) throws IOException {
        if (json.get(key) instanceof Long port && port > 0 && port < 65536) {
            return port.intValue();
        }
        throw new IOException(file + ": " + key + " must be a port number, got " + json.get(key));
    }
}
