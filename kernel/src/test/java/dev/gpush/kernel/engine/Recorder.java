package dev.gpush.kernel.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A frontend that records what a cell sends it, and answers input requests from a list. */
class Recorder implements Frontend {

    record Shown(MimeBundle bundle, String id, boolean update) {}

    final List<String> out = new CopyOnWriteArrayList<>();
    final List<String> err = new CopyOnWriteArrayList<>();
    final List<Shown> displays = new CopyOnWriteArrayList<>();
    final List<String> prompts = new CopyOnWriteArrayList<>();
    private final List<String> answers;

    Recorder(String... answers) {
        this.answers = new ArrayList<>(List.of(answers));
    }

    @Override
    public void write(Stream stream, String text) {
        (stream == Stream.STDOUT ? out : err).add(text);
    }

    @Override
    public void display(MimeBundle bundle, String displayId, boolean update) {
        displays.add(new Shown(bundle, displayId, update));
    }

    @Override
    public synchronized String input(String prompt, boolean password) {
        prompts.add(prompt + (password ? " (hidden)" : ""));
        return answers.isEmpty() ? null : answers.removeFirst();
    }

    String stdout() {
        return String.join("", out);
    }

    String stderr() {
        return String.join("", err);
    }
}
