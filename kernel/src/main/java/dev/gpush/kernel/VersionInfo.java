package dev.gpush.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Properties;
import java.util.stream.Stream;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code gpush --version}: gpush's version, the Java running it and the CUDA it would use. CUDA is asked of the
 * library's {@code dev.gpush.cuda.Cuda} facade by reflection, so that the CLI builds and runs before, and without,
 * the CUDA backend.
 */
final class VersionInfo implements IVersionProvider {

    static final String CUDA_FACADE = "dev.gpush.cuda.Cuda";

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

    static String gpushVersion() {
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

    static String cuda() {
        Class<?> facade;
        try {
            facade = Class.forName(CUDA_FACADE, false, VersionInfo.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return "not available (the CUDA backend is not built yet)";
        }
        try {
            if ((Boolean) facade.getMethod("isAvailable").invoke(null)) {
                int count = (Integer) facade.getMethod("deviceCount").invoke(null);
                return "available, " + count + " device(s), the first a "
                        + facade.getMethod("deviceName", int.class).invoke(null, 0);
            }
            return "not available (" + facade.getMethod("unavailableReason").invoke(null) + ")";
        } catch (InvocationTargetException e) {
            return "not available (" + e.getCause() + ")";
        } catch (ReflectiveOperationException | LinkageError e) {
            return "unknown (" + CUDA_FACADE + " does not answer as expected: " + e + ")";
        }
    }
}
