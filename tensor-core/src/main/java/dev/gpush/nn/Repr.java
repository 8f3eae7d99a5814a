package dev.gpush.nn;

import java.math.BigDecimal;

/** Python's spelling of values in a module's {@code extraRepr}, so printed models read as PyTorch's do. */
final class Repr {
    private Repr() {}

    /**
     * Python's {@code repr(float)}: the shortest digits that round-trip, fixed notation for decimal exponents
     * from -4 to 15 ({@code 0.1}, {@code 1.0}, {@code 0.0001}) and scientific otherwise ({@code 1e-05}).
     */
    static String pyFloat(double x) {
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        if (x == 0) return 1 / x < 0 ? "-0.0" : "0.0";
        String sign = x < 0 ? "-" : "";
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(x))).stripTrailingZeros(); // shortest digits (JDK 19+)
        String digits = bd.unscaledValue().toString();
        int exp = digits.length() - 1 - bd.scale(); // value = d.ddd x 10^exp
        if (exp >= -4 && exp < 16) {
            String plain = bd.toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    /** {@code True} / {@code False}. */
    static String pyBool(boolean b) { return b ? "True" : "False"; }

    /** A Python tuple of ints: {@code (4,)}, {@code (2, 3)}. */
    static String pyTuple(int[] xs) {
        if (xs.length == 1) return "(" + xs[0] + ",)";
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < xs.length; i++) sb.append(i == 0 ? "" : ", ").append(xs[i]);
        return sb.append(")").toString();
    }
}
