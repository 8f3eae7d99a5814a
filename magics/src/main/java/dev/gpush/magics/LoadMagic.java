package dev.gpush.magics;

import java.util.List;

/** {@code %load FILE}: puts a file's text into the next input, to edit before running it. */
final class LoadMagic implements Magic {

    @Override
    public String name() {
        return "load";
    }

    @Override
    public String help() {
        return "put a file's text into the next cell (or the REPL's input) to edit and run";
    }

    @Override
    public String usage() {
        return "%load FILE";
    }

    @Override
    public String doc() {
        return """
                Reads FILE (UTF-8) and puts its text into the next input: a new cell below in a notebook, the
                line buffer in the gpush REPL. Nothing runs until you run it. To run a file at once, use %run.
                Example:
                  %load train.jsh""";
    }

    @Override
    public Object run(MagicContext context, String args, String body) {
        List<String> words = Args.split(args);
        if (body != null || words.size() != 1) {
            throw Args.usage(this, body != null ? "%load is a line magic" : "expected one file, got " + words.size());
        }
        context.setNextInput(FileText.read(this, words.getFirst()));
        return null;
    }
}
