package dev.gpush.kernel.display;

import dev.gpush.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line charts for loss curves: {@code plot(losses)}, {@code plot("loss", Map.of("train", a, "val", b))}. The chart
 * is an XChart {@link XYChart}: a cell that ends with it shows it inline; it can be styled further before that.
 */
public final class Plot {

    private Plot() {}

    /** One series of y values against their index. */
    public static XYChart plot(double... ys) {
        return plot("", Map.of("y", ys));
    }

    /** One series from a list of numbers, such as the losses a loop collected. */
    public static XYChart plot(List<? extends Number> ys) {
        return plot(ys.stream().mapToDouble(Number::doubleValue).toArray());
    }

    /** A 1-D tensor against its index. */
    public static XYChart plot(Tensor ys) {
        if (ys.dim() != 1) {
            throw new IllegalArgumentException("plot: expected a 1-D tensor, got shape " + java.util.Arrays.toString(ys.shape()));
        }
        return plot(ys.detach().to(dev.gpush.tensor.Device.CPU).toDoubleArray());
    }

    /** Several named series of y values against their index, with a title. */
    public static XYChart plot(String title, Map<String, double[]> series) {
        if (series.isEmpty()) {
            throw new IllegalArgumentException("plot: no series to draw");
        }
        XYChart chart = new XYChartBuilder().width(640).height(360).title(title).xAxisTitle("step").build();
        chart.getStyler().setLegendVisible(series.size() > 1);
        new java.util.TreeMap<>(series).forEach((name, ys) -> {
            if (ys.length == 0) {
                throw new IllegalArgumentException("plot: series " + name + " is empty");
            }
            double[] xs = new double[ys.length];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = i;
            }
            chart.addSeries(name, xs, ys).setMarker(SeriesMarkers.NONE);
        });
        return chart;
    }
}
