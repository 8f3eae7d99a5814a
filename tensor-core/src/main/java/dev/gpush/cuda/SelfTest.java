package dev.gpush.cuda;

import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code gpush selftest}: runs every check of {@link SelfTestChecks} on a device and on the CPU, the reference, and
 * reports per check the largest error against its tolerance: PASS, FAIL (too far from the CPU), ERROR (the device
 * threw) or NOT YET (the op is not yet on that device). A user who doubts their GPU gets an answer.
 */
public final class SelfTest {
    private SelfTest() {}

    /** One row of the report. */
    public record Row(String check, String status, double maxError, double tolerance, String detail) {}

    /** The rows, and the text printed for users. */
    public record Report(Device device, List<Row> rows, String text) {
        /** True when no check failed or threw (NOT YET rows do not count as failures). */
        public boolean passed() {
            return rows.stream().noneMatch(r -> r.status.equals("FAIL") || r.status.equals("ERROR"));
        }
    }

    /** Checks every CUDA device, or says why there is none. */
    public static List<Report> run() {
        List<Report> r = new ArrayList<>();
        if (!Cuda.isAvailable()) r.add(run(Device.CUDA));
        for (int i = 0; i < Cuda.deviceCount(); i++) r.add(run(Device.cuda(i)));
        return r;
    }

    public static Report run(Device device) {
        if (device.isCuda() && !Cuda.isAvailable())
            return new Report(device, List.of(), "selftest " + device + ": CUDA is not available (" + Cuda.unavailableReason() + ")\n");
        List<Row> rows = new ArrayList<>();
        for (SelfTestChecks.Check c : SelfTestChecks.all()) rows.add(check(c, device));
        return new Report(device, rows, format(device, rows));
    }

    static Row check(SelfTestChecks.Check c, Device device) {
        double[] want, got;
        try {
            want = c.compute().apply(Device.CPU).toDoubleArray();
        } catch (RuntimeException e) {
            return new Row(c.name(), "ERROR", Double.NaN, c.tolerance(), "on the CPU: " + e);
        }
        try {
            Tensor t = c.compute().apply(device);
            if (!t.device().equals(device)) return new Row(c.name(), "ERROR", Double.NaN, c.tolerance(), "result on " + t.device());
            got = t.toDoubleArray();
        } catch (UnsupportedOperationException e) {
            if (String.valueOf(e.getMessage()).contains("not yet on CUDA"))
                return new Row(c.name(), "NOT YET", Double.NaN, c.tolerance(), e.getMessage());
            return new Row(c.name(), "ERROR", Double.NaN, c.tolerance(), e.toString());
        } catch (RuntimeException | Error e) {
            return new Row(c.name(), "ERROR", Double.NaN, c.tolerance(), e.toString());
        }
        if (got.length != want.length)
            return new Row(c.name(), "FAIL", Double.NaN, c.tolerance(), got.length + " elements, want " + want.length);
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            if (Double.isNaN(want[i]) && Double.isNaN(got[i])) continue;
            double err = Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i]));
            if (!(err <= worst)) worst = Double.isNaN(err) ? Double.POSITIVE_INFINITY : err;
        }
        return new Row(c.name(), worst <= c.tolerance() ? "PASS" : "FAIL", worst, c.tolerance(), "");
    }

    private static String format(Device device, List<Row> rows) {
        StringBuilder s = new StringBuilder("selftest " + device + " against the CPU\n");
        s.append(String.format(Locale.ROOT, "%-44s %-8s %10s %10s%n", "check", "result", "max error", "tolerance"));
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "%-44s %-8s %10.3g %10.3g%n", r.check, r.status, r.maxError, r.tolerance));
            if (!r.detail.isEmpty()) s.append("    ").append(r.detail).append('\n');
        }
        long failed = rows.stream().filter(r -> r.status.equals("FAIL") || r.status.equals("ERROR")).count();
        long notYet = rows.stream().filter(r -> r.status.equals("NOT YET")).count();
        s.append(rows.size() - failed - notYet).append(" passed, ").append(failed).append(" failed, ")
                .append(notYet).append(" not yet on this device\n");
        return s.toString();
    }
}
