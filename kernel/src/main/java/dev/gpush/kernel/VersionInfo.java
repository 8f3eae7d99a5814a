package dev.gpush.kernel;

import dev.gpush.cuda.Cuda;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.stream.Stream;
import picocli.CommandLine.IVersionProvider;

/** {@code gpush --version}: gpush's version, the Java running it and the CUDA it would use. */
public final class VersionInfo implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return Stream.of(
                "gpush " + gpushVersion(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ") at "
                        + System.getProperty("java.home"),
                "CUDA: " + cuda())
            .map(line -> line.replace("%", "%%")) // picocli runs each line through String.format
            .toArray(String[]::new);
    }

    public static String gpushVersion() {
        try (InputStream in = VersionInfo.class.getResourceAsStream("version.properties")) {
            var properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    /** The CUDA line: the first device, or why CUDA is not available. The probe runs once, on first use. */
    static String cuda() {
        try {
            if (Cuda.isAvailable()) {
                return "available, " + Cuda.deviceCount() + " device(s), the first a " + Cuda.deviceName(0);
            }
            return "not available (" + Cuda.unavailableReason() + ")";
        } catch (RuntimeException | LinkageError e) {
            return "unknown (the CUDA probe failed: " + e + ")";
        }
    }
}
