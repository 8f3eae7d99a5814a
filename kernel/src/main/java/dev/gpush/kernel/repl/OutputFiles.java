package dev.gpush.kernel.repl;

import dev.gpush.kernel.engine.MimeBundle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Saves the images of a displayed value (a chart, a {@code BufferedImage}) as files, since a terminal cannot show
 * them.
 *
 * <p>Rules: one file per image type in the bundle, in the folder given (the shell's is {@code ~/.gpush/outputs});
 * names are {@code output-<session start>-<n>.<ext>}, so no session overwrites another's; base64 types are decoded,
 * SVG is written as the text it is.
 */
final class OutputFiles {

    /** The image types saved, with their file extensions; whether the content is base64 (else text). */
    private record Kind(String extension, boolean base64) {}

    private static final Map<String, Kind> KINDS = Map.of(
            "image/png", new Kind("png", true),
            "image/jpeg", new Kind("jpg", true),
            "image/gif", new Kind("gif", true),
            "image/svg+xml", new Kind("svg", false));

    private final Path dir;
    private final String session = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    private int count;

    OutputFiles(Path dir) {
        this.dir = dir;
    }

    /** Whether {@code bundle} holds something this saves. */
    static boolean hasImage(MimeBundle bundle) {
        return bundle.data().keySet().stream().anyMatch(KINDS::containsKey);
    }

    /** Saves each image of {@code bundle}; returns the files written, in the order png, jpeg, gif, svg. */
    synchronized List<Path> save(MimeBundle bundle) throws IOException {
        var files = new ArrayList<Path>();
        for (String type : List.of("image/png", "image/jpeg", "image/gif", "image/svg+xml")) {
            Object content = bundle.data().get(type);
            if (content == null) {
                continue;
            }
            Kind kind = KINDS.get(type);
            Files.createDirectories(dir);
            Path file = dir.resolve("output-" + session + "-" + ++count + "." + kind.extension());
            String text = content.toString();
            byte[] bytes = kind.base64() ? Base64.getMimeDecoder().decode(text) : text.getBytes(StandardCharsets.UTF_8);
            files.add(Files.write(file, bytes));
        }
        return files;
    }
}
