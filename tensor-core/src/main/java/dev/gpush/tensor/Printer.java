package dev.gpush.tensor;

import dev.gpush.autograd.GradMode;
import dev.gpush.autograd.Node;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Formats tensors exactly as PyTorch 2.x prints them ({@code torch/_tensor_str.py} with the default print options),
 * so gpush output can be compared with PyTorch output side by side. Rules:
 * <ul>
 *   <li>Layout: {@code tensor(} then nested brackets; a row of a matrix continues one column right of its
 *       parent's bracket, and blocks of dimension k are separated by k-1 blank lines.</li>
 *   <li>More than {@link #THRESHOLD} elements: each dim longer than 2 * {@link #EDGE_ITEMS} shows its first and
 *       last {@link #EDGE_ITEMS} entries around {@code ...}. Only the shown elements choose the number format.</li>
 *   <li>Floats: only nonzero finite values choose the format and the column width. All integers: {@code 1.};
 *       otherwise {@link #PRECISION} decimals; scientific ({@code 1.0000e+05}) when max/min &gt; 1000, max &gt;
 *       1e8 or min &lt; 1e-4 (of the absolute values). Digits are rounded as Python does: half to even on the
 *       exact binary value.</li>
 *   <li>A row of numbers wraps to keep within {@link #LINE_WIDTH} characters; so do the suffixes.</li>
 *   <li>Suffixes, in order: device when not the CPU, size when empty and not 1-D, dtype when not the default for
 *       its kind (float32, int64, bool; an empty tensor shows any non-float32 dtype), then {@code grad_fn} for a
 *       non-leaf or {@code requires_grad=True} for a leaf that requires grad.</li>
 * </ul>
 */
final class Printer {
    static final int PRECISION = 4;     // digits after the decimal point
    static final int THRESHOLD = 1000;  // elements; a tensor with more is summarised
    static final int EDGE_ITEMS = 3;    // entries shown at each end of a summarised dim
    static final int LINE_WIDTH = 80;   // characters

    private static final String PREFIX = "tensor(";

    /** gpush op names whose PyTorch backward node is named after a different op (matmul: the 2-D case). */
    private static final Map<String, String> PYTORCH_OP = Map.of("to", "ToCopy", "matmul", "Mm");

    private Printer() {}

    static String format(Tensor t) {
        if (t.isClosed()) return PREFIX + "<closed>, size=" + sizeTuple(t.shapeRef()) + ")";
        int indent = PREFIX.length();
        List<String> suffixes = new ArrayList<>();
        if (!t.device().isCpu()) suffixes.add("device='" + t.device() + "'");
        String body;
        if (t.numel() == 0) {
            if (t.dim() != 1) suffixes.add("size=" + sizeTuple(t.shapeRef()));
            if (t.dtype() != DType.DEFAULT) suffixes.add("dtype=torch." + t.dtype());
            body = "[]";
        } else {
            DType dt = t.dtype();
            if (dt != DType.DEFAULT && dt != DType.INT64 && dt != DType.BOOL) suffixes.add("dtype=torch." + dt);
            body = new Layout(t).block(0, 0, indent);
        }
        Node fn = t.gradFn();
        if (fn != null && !fn.name().equals("AccumulateGrad")) suffixes.add("grad_fn=<" + backwardName(fn.name()) + ">");
        else if (t.requiresGrad()) suffixes.add("requires_grad=True");
        return addSuffixes(PREFIX + body, suffixes, indent);
    }

    /** PyTorch's backward node name for a gpush op name: "log_softmax" -> "LogSoftmaxBackward0". */
    static String backwardName(String op) {
        String mapped = PYTORCH_OP.get(op);
        if (mapped != null) return mapped + "Backward0";
        StringBuilder sb = new StringBuilder();
        for (String part : op.split("_")) {
            // Python's str.title(), as torchgen uses: a letter after a non-letter is upper case ("log1p" -> "Log1P")
            boolean afterLetter = false;
            for (char c : part.toCharArray()) {
                sb.append(afterLetter ? Character.toLowerCase(c) : Character.toUpperCase(c));
                afterLetter = Character.isLetter(c);
            }
        }
        return sb.append("Backward0").toString();
    }

    /** Appends ", suffix" for each, starting a new line (under the first bracket) when the line would pass 80. */
    private static String addSuffixes(String str, List<String> suffixes, int indent) {
        StringBuilder sb = new StringBuilder(str);
        int lastLineLen = str.length() - str.lastIndexOf('\n') + 1; // PyTorch's count, two more than the line
        for (String s : suffixes) {
            if (lastLineLen + s.length() + 2 > LINE_WIDTH) {
                sb.append(",\n").append(" ".repeat(indent)).append(s);
                lastLineLen = indent + s.length();
            } else {
                sb.append(", ").append(s);
                lastLineLen += s.length() + 2;
            }
        }
        return sb.append(')').toString();
    }

    /** Python's str(tuple(shape)): "(0, 3)", "(0,)". */
    private static String sizeTuple(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : ", ").append(shape[i]);
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }

    // ---------------------------------------------------------------- layout

    /** The shown elements of a tensor, rendered, and the bracket structure around them. */
    private static final class Layout {
        final int[] shape;       // the tensor's shape
        final boolean summarize;
        final int[] strides;     // contiguous strides of the shown part
        final Cells cells;

        Layout(Tensor t) {
            shape = t.shape();
            summarize = t.numel() > THRESHOLD;
            try (Scope s = Scope.open(); GradMode g = GradMode.disable()) {
                Tensor shown = t;
                for (int d = 0; d < shape.length; d++)
                    if (elided(d)) shown = Tensor.cat(List.of(shown.narrow(d, 0, EDGE_ITEMS),
                            shown.narrow(d, shape[d] - EDGE_ITEMS, EDGE_ITEMS)), d);
                strides = Shapes.contiguousStrides(shown.shapeRef());
                cells = Cells.of(shown);
            }
        }

        /** Whether dim d shows only its ends: the shown part then holds 2 * EDGE_ITEMS entries there. */
        boolean elided(int d) { return summarize && shape[d] > 2 * EDGE_ITEMS; }

        /** The text of the block at dim d starting at shown element {@code base}, its bracket at column indent. */
        String block(int d, int base, int indent) {
            int rank = shape.length;
            if (d == rank) return cells.text[base];
            boolean vector = d == rank - 1;
            int n = elided(d) ? 2 * EDGE_ITEMS : shape[d];
            List<String> items = new ArrayList<>(n + 1);
            for (int i = 0; i < n; i++) {
                if (elided(d) && i == EDGE_ITEMS) items.add(vector ? " ..." : "...");
                int at = base + i * strides[d];
                items.add(vector ? cells.text[at] : block(d + 1, at, indent + 1));
            }
            String margin = " ".repeat(indent + 1);
            if (!vector) return "[" + String.join("," + "\n".repeat(rank - d - 1) + margin, items) + "]";
            int perLine = Math.max(1, Math.floorDiv(LINE_WIDTH - indent, cells.width + 2));
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < items.size(); i += perLine)
                lines.add(String.join(", ", items.subList(i, Math.min(items.size(), i + perLine))));
            return "[" + String.join(",\n" + margin, lines) + "]";
        }
    }

    // ---------------------------------------------------------------- numbers

    /** Each shown element as text, right-aligned to a common width (PyTorch's _Formatter). */
    private record Cells(String[] text, int width) {
        static Cells of(Tensor shown) {
            DType dt = shown.dtype();
            String[] text;
            int width = 1;
            if (dt == DType.BOOL) {
                boolean[] v = shown.toBooleanArray();
                text = new String[v.length];
                for (int i = 0; i < v.length; i++) text[i] = v[i] ? "True" : "False";
            } else if (!dt.isFloatingPoint()) {
                long[] v = shown.toLongArray();
                text = new String[v.length];
                for (int i = 0; i < v.length; i++) text[i] = Long.toString(v[i]);
            } else {
                return floats(shown.toDoubleArray());
            }
            for (String s : text) width = Math.max(width, s.length());
            return padded(text, width);
        }

        static Cells floats(double[] v) {
            boolean any = false, intMode = true;
            double min = Double.POSITIVE_INFINITY, max = 0;
            for (double x : v) {
                if (!Double.isFinite(x) || x == 0) continue;
                any = true;
                min = Math.min(min, Math.abs(x));
                max = Math.max(max, Math.abs(x));
                if (x != Math.ceil(x)) intMode = false;
            }
            boolean sci = any && (max / min > 1000.0 || max > 1.0e8 || min < 1.0e-4);
            String[] text = new String[v.length];
            int width = 1;
            for (int i = 0; i < v.length; i++) {
                double x = v[i];
                text[i] = sci ? scientific(x) : intMode ? integral(x) : fixed(x);
                if (Double.isFinite(x) && x != 0) width = Math.max(width, text[i].length());
            }
            return padded(text, width);
        }

        static Cells padded(String[] text, int width) {
            for (int i = 0; i < text.length; i++)
                if (text[i].length() < width) text[i] = " ".repeat(width - text[i].length()) + text[i];
            return new Cells(text, width);
        }
    }

    /** Python's f"{x:.0f}" plus a point: "3.", "-0."; non-finite values get no point. */
    private static String integral(double x) {
        if (!Double.isFinite(x)) return nonFinite(x);
        return sign(x) + new BigDecimal(Math.abs(x)).setScale(0, RoundingMode.HALF_EVEN).toPlainString() + ".";
    }

    /** Python's f"{x:.4f}". */
    private static String fixed(double x) {
        if (!Double.isFinite(x)) return nonFinite(x);
        return sign(x) + new BigDecimal(Math.abs(x)).setScale(PRECISION, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Python's f"{x:.4e}": "1.0000e+05", "-2.5000e-07". */
    private static String scientific(double x) {
        if (!Double.isFinite(x)) return nonFinite(x);
        String digits = "0".repeat(PRECISION + 1);
        int exponent = 0;
        if (x != 0) {
            BigDecimal r = new BigDecimal(Math.abs(x)).round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
            String u = r.unscaledValue().toString();
            exponent = u.length() - 1 - r.scale();
            digits = (u + digits).substring(0, PRECISION + 1);
        }
        String e = Integer.toString(Math.abs(exponent));
        return sign(x) + digits.charAt(0) + "." + digits.substring(1)
                + (exponent < 0 ? "e-" : "e+") + (e.length() < 2 ? "0" + e : e);
    }

    private static String sign(double x) {
        return (Double.doubleToRawLongBits(x) < 0) ? "-" : "";  // keeps the sign of -0.0, as Python does
    }

    private static String nonFinite(double x) {
        return Double.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
    }
}
