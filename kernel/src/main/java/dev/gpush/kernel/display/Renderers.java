package dev.gpush.kernel.display;

import dev.gpush.kernel.engine.MimeBundle;
import dev.gpush.nn.Module;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * Turns a value into the MIME bundle that a notebook shows and a terminal prints.
 *
 * <p>Rules, first match wins:
 * <ul>
 *   <li>a {@link MimeBundle} is itself;</li>
 *   <li>a {@link Tensor}: its PyTorch-style text, plus an HTML table when it is 1-D or 2-D with at most
 *       {@value #TABLE_LIMIT} elements;</li>
 *   <li>a {@link Module}: its tree, as PyTorch prints it;</li>
 *   <li>an image ({@link RenderedImage}, such as {@code BufferedImage}): PNG;</li>
 *   <li>an XChart chart: PNG and SVG;</li>
 *   <li>any object with a public no-argument {@code mimeBundle()} returning a {@code Map} (MIME type to content), or
 *       {@code toHtml()} returning a {@code String}: that;</li>
 *   <li>anything else: the text JShell would print.</li>
 * </ul>
 */
public final class Renderers {

    static final int TABLE_LIMIT = 400;

    private Renderers() {}

    /** Renders {@code value}; {@code text} is JShell's own text for it (strings quoted), used when nothing better fits. */
    public static MimeBundle render(Object value, String text) {
        return switch (value) {
            case null -> MimeBundle.text("null");
            case MimeBundle bundle -> bundle;
            case Tensor tensor -> tensor(tensor);
            case Module module -> MimeBundle.text(module.toString());
            case RenderedImage image -> new MimeBundle(Map.of("text/plain", describe(image), "image/png", png(image)),
                    Map.of("image/png", Map.of("width", image.getWidth(), "height", image.getHeight())));
            case Chart<?, ?> chart -> chart(chart);
            default -> custom(value).orElseGet(() -> MimeBundle.text(text != null ? text : String.valueOf(value)));
        };
    }

    /** Renders {@code value} when no JShell text is at hand (a {@code display(...)} call). */
    public static MimeBundle render(Object value) {
        return render(value, value instanceof String s ? s : String.valueOf(value));
    }

    private static MimeBundle tensor(Tensor tensor) {
        String text = tensor.toString();
        if (tensor.dim() < 1 || tensor.dim() > 2 || tensor.numel() > TABLE_LIMIT || tensor.numel() == 0) {
            return MimeBundle.text(text);
        }
        return new MimeBundle(Map.of("text/plain", text, "text/html", HtmlTable.of(tensor)), Map.of());
    }

    private static MimeBundle chart(Chart<?, ?> chart) {
        try {
            byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
            var svg = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, svg, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            String title = chart.getTitle() == null || chart.getTitle().isEmpty() ? "chart" : chart.getTitle();
            return new MimeBundle(Map.of(
                    "text/plain", "<" + title + ": " + chart.getWidth() + "x" + chart.getHeight() + " chart>",
                    "image/png", Base64.getEncoder().encodeToString(png),
                    // without the <?xml ...?> declaration and doctype, which nbconvert's HTML export refuses in a page
                    "image/svg+xml", svg.toString(java.nio.charset.StandardCharsets.UTF_8)
                            .replaceFirst("^\\s*<\\?xml[^>]*\\?>\\s*(<!DOCTYPE[^>]*>\\s*)?", "")), Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw the chart: " + e.getMessage(), e);
        }
    }

    private static java.util.Optional<MimeBundle> custom(Object value) {
        try {
            Method bundle = publicMethod(value, "mimeBundle");
            if (bundle != null && Map.class.isAssignableFrom(bundle.getReturnType())) {
                var data = new LinkedHashMap<String, Object>();
                ((Map<?, ?>) bundle.invoke(value)).forEach((k, v) -> data.put(String.valueOf(k), v));
                data.putIfAbsent("text/plain", String.valueOf(value));
                return java.util.Optional.of(new MimeBundle(data, Map.of()));
            }
            Method html = publicMethod(value, "toHtml");
            if (html != null && html.getReturnType() == String.class) {
                return java.util.Optional.of(new MimeBundle(
                        Map.of("text/plain", String.valueOf(value), "text/html", (String) html.invoke(value)), Map.of()));
            }
            return java.util.Optional.empty();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot render " + value.getClass().getName() + ": " + e.getCause(), e);
        }
    }

    private static Method publicMethod(Object value, String name) {
        try {
            Method method = value.getClass().getMethod(name);
            method.setAccessible(true); // a public method of a snippet's class nested in JShell's wrapper
            return method;
        } catch (NoSuchMethodException | RuntimeException e) {
            return null;
        }
    }

    static String png(RenderedImage image) {
        var bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    private static String describe(RenderedImage image) {
        return "<image " + image.getWidth() + "x" + image.getHeight() + ">";
    }

    /** Whether a dtype's elements print as integers. */
    static boolean integral(DType dtype) {
        return !dtype.isFloatingPoint() && dtype != DType.BOOL;
    }
}
