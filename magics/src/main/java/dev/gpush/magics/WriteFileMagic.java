package dev.gpush.magics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code %%writefile [-a] FILE}: writes the cell's body to a file, or appends it with {@code -a}; a body that does
 * not end with a line break gets one, so that appended cells stay on their own lines.
 */
final class WriteFileMagic implements Magic {

    @Override
    public String name() {
        return "writefile";
    }

    @Override
    public String help() {
        return "write the cell to a file (-a appends)";
    }

    @Override
    public String usage() {
        return "%%writefile [-a] FILE as a cell's first line, the text below it";
    }

    @Override
    public String doc() {
        return """
                Writes the rest of the cell (UTF-8) to FILE, replacing it, or appends with -a. The text gets a
                final line break if it has none. The folder must exist. Says Writing, Overwriting or Appending to.
                Example:
                  %%writefile model.jsh
                  var model = new Sequential(new Linear(2, 8), new ReLU(), new Linear(8, 2));""";
    }

    @Override
    public Object run(MagicContext context, String args, String body) {
        if (body == null) {
            throw Args.usage(this, "%writefile is a cell magic: write %%writefile FILE on the cell's first line");
        }
        List<String> words = new ArrayList<>(Args.split(args));
        boolean append = words.remove("-a") | words.remove("--append");
        if (words.size() != 1) {
            throw Args.usage(this, words.isEmpty() ? "no file given" : "expected one file, got " + words);
        }
        Path path = ClasspathMagic.path(words.getFirst());
        boolean exists = Files.exists(path);
        String text = body.isEmpty() || body.endsWith("\n") ? body : body + "\n";
        try {
            if (append) {
                Files.writeString(path, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } else {
                Files.writeString(path, text);
            }
        } catch (NoSuchFileException e) {
            throw new MagicException("%%writefile: the folder of " + words.getFirst() + " does not exist ("
                    + path.getParent() + ")");
        } catch (IOException e) {
            throw new MagicException("%%writefile: cannot write " + words.getFirst() + ": " + e);
        }
        context.print((append ? "Appending to " : exists ? "Overwriting " : "Writing ") + words.getFirst() + "\n");
        return null;
    }
}
