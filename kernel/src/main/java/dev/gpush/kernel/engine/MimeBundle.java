package dev.gpush.kernel.engine;

import java.util.Map;

/**
 * A value rendered for display, as Jupyter's display_data carries it: MIME type to content ({@code text/plain} is
 * always there; {@code image/png} is base64 text), plus per-type metadata (an image's width, say).
 */
public record MimeBundle(Map<String, Object> data, Map<String, Object> metadata) {

    public MimeBundle {
        data = Map.copyOf(data);
        metadata = Map.copyOf(metadata);
        if (!data.containsKey("text/plain")) {
            throw new IllegalArgumentException("a MIME bundle needs text/plain, got " + data.keySet());
        }
    }

    public static MimeBundle text(String text) {
        return new MimeBundle(Map.of("text/plain", text), Map.of());
    }

    public String text() {
        return (String) data.get("text/plain");
    }
}
