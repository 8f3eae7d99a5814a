package dev.gpush.kernel.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The frontend of `gpush run`: the process's standard streams; displays print their text/plain. */
final class Console implements Frontend {

    static final Console INSTANCE = new Console();

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    private BufferedReader in;

    private Console() {}

    @Override
    public void write(Stream stream, String text) {
        (stream == Stream.STDOUT ? out : err).print(text);
    }

    @Override
    public void display(MimeBundle bundle, String displayId, boolean update) {
        out.println(bundle.text());
    }

    @Override
    public synchronized String input(String prompt, boolean password) throws IOException {
        out.print(prompt);
        out.flush();
        if (in == null) {
            in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        return in.readLine();
    }
}
