package dev.gpush.nn;

import java.util.Locale;

/** How a loss reduces its per-element values, as PyTorch's {@code reduction=} argument. */
public enum Reduction {
    /** The average: for weighted class losses, the sum divided by the summed weights of the counted targets. */
    MEAN,
    /** The sum of the per-element losses. */
    SUM,
    /** No reduction: one loss per element (per position, for class losses). */
    NONE;

    /** Parses PyTorch's spelling: {@code "mean"}, {@code "sum"} or {@code "none"}. */
    public static Reduction of(String name) {
        for (Reduction r : values()) if (r.pyName().equals(name)) return r;
        throw new IllegalArgumentException("'" + name + "' is not a valid value for reduction: expected 'mean', 'sum' "
                + "or 'none'");
    }

    /** PyTorch's spelling: {@code mean}, {@code sum}, {@code none}. */
    public String pyName() { return name().toLowerCase(Locale.ROOT); }
}
