package dev.gpush.magics;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/** Durations as IPython's {@code _format_time} writes them: {@code 18 µs}, {@code 1.2 ms}, {@code 1min 3s}. */
final class TimeFormat {

    private static final String[] UNITS = {"s", "ms", "µs", "ns"};
    private static final double[] SCALE = {1, 1e3, 1e6, 1e9};

    private TimeFormat() {}

    /** {@code seconds} with {@code precision} significant digits in the largest unit that keeps it at least 1. */
    static String seconds(double seconds, int precision) {
        if (seconds >= 60) {
            return minutes(seconds);
        }
        int order = seconds > 0 ? Math.min(-Math.floorDiv((int) Math.floor(Math.log10(seconds)), 3), 3) : 3;
        return g(seconds * SCALE[order], precision) + " " + UNITS[order];
    }

    static String seconds(double seconds) {
        return seconds(seconds, 3);
    }

    /** {@code 1h 2min 3s}: whole days, hours, minutes and seconds, stopping when less than a second is left. */
    private static String minutes(double seconds) {
        String[] suffixes = {"d", "h", "min", "s"};
        long[] lengths = {86_400, 3_600, 60, 1};
        var text = new StringBuilder();
        double left = seconds;
        for (int i = 0; i < suffixes.length; i++) {
            long value = (long) (left / lengths[i]);
            if (value > 0) {
                left = left % lengths[i];
                text.append(text.isEmpty() ? "" : " ").append(value).append(suffixes[i]);
            }
            if (left < 1) {
                break;
            }
        }
        return text.toString();
    }

    /** Python's {@code "%.*g" % (precision, value)}: significant digits, no trailing zeros. */
    static String g(double value, int precision) {
        if (value == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent >= -4 && exponent < precision) {
            return rounded.stripTrailingZeros().toPlainString();
        }
        String mantissa = rounded.movePointLeft(exponent).stripTrailingZeros().toPlainString();
        return mantissa + (exponent < 0 ? "e-" : "e+") + (Math.abs(exponent) < 10 ? "0" : "") + Math.abs(exponent);
    }
}
