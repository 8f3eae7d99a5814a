package dev.gpush.kernel.display;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;

/** A small 1-D or 2-D tensor as an HTML table: a caption with shape and dtype, one row per row (one row for 1-D). */
final class HtmlTable {

    private HtmlTable() {}

    static String of(Tensor tensor) {
        int rows = tensor.dim() == 1 ? 1 : tensor.shape()[0];
        int cols = tensor.shape()[tensor.dim() - 1];
        Tensor cpu = tensor.detach().to(dev.gpush.tensor.Device.CPU);
        double[] values = Renderers.integral(tensor.dtype()) ? null : cpu.toDoubleArray();
        long[] longs = values == null ? cpu.toLongArray() : null;
        DType dtype = tensor.dtype();
        var html = new StringBuilder("<table class=\"gpush-tensor\">");
        html.append("<caption>").append(dtype.name().toLowerCase()).append(' ')
                .append(java.util.Arrays.toString(tensor.shape())).append(" on ").append(tensor.device())
                .append("</caption>");
        for (int r = 0; r < rows; r++) {
            html.append("<tr>");
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                html.append("<td>").append(longs != null ? Long.toString(longs[i]) : format(values[i], dtype))
                        .append("</td>");
            }
            html.append("</tr>");
        }
        return html.append("</table>").toString();
    }

    private static String format(double value, DType dtype) {
        if (dtype == DType.BOOL) {
            return value != 0 ? "True" : "False";
        }
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        return String.format(java.util.Locale.ROOT, "%.4f", value);
    }
}
