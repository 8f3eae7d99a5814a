package dev.gpush.kernel.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a connection file as jupyter_client writes it. */
class ConnectionFileTest {

    @TempDir
    Path dir;

    @Test
    void readsPortsKeyAndSchemeAndMakesEndpoints() throws IOException {
        Path file = Files.writeString(dir.resolve("kernel-1.json"), """
                {"shell_port": 50001, "iopub_port": 50002, "stdin_port": 50003, "control_port": 50004,
                 "hb_port": 50005, "ip": "127.0.0.1", "key": "k-1", "transport": "tcp",
                 "signature_scheme": "hmac-sha256", "kernel_name": "gpush"}
                """);
        var connection = ConnectionFile.read(file);

        assertEquals("tcp://127.0.0.1:50001", connection.endpoint(connection.shellPort()));
        assertEquals(50004, connection.controlPort());
        assertEquals("k-1", connection.key());
        assertEquals("gpush", connection.kernelName());
    }

    @Test
    void theIpcTransportIsRefusedWithTheReason() throws IOException {
        Path file = Files.writeString(dir.resolve("kernel-2.json"), """
                {"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5,
                 "ip": "/tmp/kernel-ipc", "key": "", "transport": "ipc"}
                """);
        var refused = assertThrows(IOException.class, () -> ConnectionFile.read(file));
        assertTrue(refused.getMessage().contains("transport ipc is not supported"), refused.getMessage());
    }

    @Test
    void aMissingPortOrBadJsonIsAClearError() throws IOException {
        Path noPort = Files.writeString(dir.resolve("kernel-3.json"), "{\"shell_port\": 1}");
        var missing = assertThrows(IOException.class, () -> ConnectionFile.read(noPort));
        assertTrue(missing.getMessage().endsWith("control_port must be a port number, got null"), missing.getMessage());

        Path broken = Files.writeString(dir.resolve("kernel-4.json"), "{");
        assertTrue(assertThrows(IOException.class, () -> ConnectionFile.read(broken)).getMessage()
                .contains("is not JSON"));
    }
}
