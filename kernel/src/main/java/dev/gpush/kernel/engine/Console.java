package dev.gpush.kernel.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** The frontend of `gpush run`: the process's standard streams; displays print their text/plain. */
final class Console implements Frontend {

    static final Console INSTANCE = new Console();

    private BufferedReader in;

    private Console() {}

    @Override
    public void write(Stream stream, String text) {
        PrintStream below = Streams.below(stream);
        below.print(text);
        below.flush();
    }

    @Override
    public void display(MimeBundle bundle, String displayId, boolean update) {
        Streams.below(Stream.STDOUT).println(bundle.text());
    }

    @Override
    public synchronized String input(String prompt, boolean password) throws IOException {
        PrintStream out = Streams.below(Stream.STDOUT);
        out.print(prompt);
        out.flush();
        if (in == null) {
            in = new BufferedReader(new InputStreamReader(Streams.belowIn(), StandardCharsets.UTF_8));
        }
        return in.readLine();
    }
}
