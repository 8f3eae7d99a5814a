package dev.gpush.magics;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a file that a magic names, with errors that say which file and why. */
final class FileText {

    private FileText() {}

    static String read(Magic magic, String name) {
        Path path = ClasspathMagic.path(name);
        try {
            return Files.readString(path);
        } catch (NoSuchFileException e) {
            throw new MagicException("%" + magic.name() + ": " + name + " does not exist (looked at " + path + ")");
        } catch (MalformedInputException e) {
            throw new MagicException("%" + magic.name() + ": " + name + " is not UTF-8 text");
        } catch (IOException e) {
            throw new MagicException("%" + magic.name() + ": cannot read " + name + ": " + e);
        }
    }
}
