package dev.gpush.kernel.display;

import dev.gpush.kernel.engine.Frontend;
import dev.gpush.kernel.engine.MimeBundle;
import dev.gpush.kernel.engine.Streams;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A progress bar over an iterable, as tqdm draws it: {@code label  45%|#########           | 45/100 [00:12<00:15,
 * 3.61it/s]}. The notebook shows it as one display that is updated in place; the terminal redraws its line.
 *
 * <p>Rules: the total is known for a {@code Collection} or anything with a public {@code size()} (a DataLoader);
 * otherwise the bar shows the count and rate only. Redraws happen at most every {@value #INTERVAL_MS} ms, and
 * always at the first and the last item.
 */
public final class Progress<T> implements Iterable<T> {

    static final long INTERVAL_MS = 100;

    private final Iterable<T> items;
    private final String label;
    private final long total;

    Progress(Iterable<T> items, String label) {
        this.items = items;
        this.label = label == null ? "" : label;
        this.total = sizeOf(items);
    }

    @Override
    public Iterator<T> iterator() {
        Iterator<T> inner = items.iterator();
        long start = System.nanoTime();
        Frontend frontend = Streams.frontend();
        String id = "gpush-progress-" + System.identityHashCode(this) + "-" + start;
        frontend.display(render(0, 0), id, false);
        return new Iterator<>() {
            long done;
            long lastDraw = System.nanoTime();

            @Override
            public boolean hasNext() {
                boolean more = inner.hasNext();
                if (!more && done >= 0) {
                    frontend.display(render(done, System.nanoTime() - start), id, true);
                    done = -1 - done; // drawn once at the end
                }
                return more;
            }

            @Override
            public T next() {
                if (done < 0) {
                    throw new NoSuchElementException();
                }
                T item = inner.next();
                done++;
                long now = System.nanoTime();
                if (now - lastDraw >= INTERVAL_MS * 1_000_000) {
                    lastDraw = now;
                    frontend.display(render(done, now - start), id, true);
                }
                return item;
            }
        };
    }

    /** The bar after {@code done} items in {@code nanos}. */
    MimeBundle render(long done, long nanos) {
        String text = text(done, nanos);
        double fraction = total > 0 ? Math.min(1, (double) done / total) : 0;
        String html = "<div class=\"gpush-progress\"><progress value=\"" + (total > 0 ? done : 0) + "\" max=\""
                + Math.max(total, 1) + "\"" + (total > 0 ? "" : " style=\"display:none\"") + "></progress> <code>"
                + escape(text) + "</code></div>";
        return new MimeBundle(Map.of("text/plain", text, "text/html", html),
                Map.of("gpush", Map.of("progress", fraction)));
    }

    String text(long done, long nanos) {
        double seconds = nanos / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        String prefix = label.isEmpty() ? "" : label + ": ";
        if (total <= 0) {
            return String.format(Locale.ROOT, "%s%d it [%s, %.2fit/s]", prefix, done, clock(seconds), rate);
        }
        int percent = (int) (100 * done / total);
        int width = 20;
        int filled = (int) (width * done / total);
        String eta = rate > 0 ? clock((total - done) / rate) : "?";
        return String.format(Locale.ROOT, "%s%3d%%|%s%s| %d/%d [%s<%s, %.2fit/s]", prefix, percent,
                "#".repeat(filled), " ".repeat(width - filled), done, total, clock(seconds), eta, rate);
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static long sizeOf(Iterable<?> items) {
        if (items instanceof Collection<?> c) {
            return c.size();
        }
        try {
            Method size = items.getClass().getMethod("size");
            return size.getReturnType() == int.class || size.getReturnType() == long.class
                    ? ((Number) size.invoke(items)).longValue() : -1;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }
}
