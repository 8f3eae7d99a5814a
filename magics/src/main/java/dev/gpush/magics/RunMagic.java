package dev.gpush.magics;

import java.util.List;

/**
 * {@code %run FILE}: evaluates a Java script in the session, as a cell; what it declares stays. Errors and stack
 * frames name the file and its line ({@code train.jsh:12}).
 */
final class RunMagic implements Magic {

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String help() {
        return "run a Java script (.jsh) in the session";
    }

    @Override
    public String usage() {
        return "%run FILE";
    }

    @Override
    public String doc() {
        return """
                Evaluates FILE's Java snippets in this session, in order, as a cell would: its variables, methods
                and classes stay afterwards. It stops at the first error, which names FILE and the line. Magic
                lines (%...) in the file are not run. To edit first, use %load.
                Example:
                  %run model.jsh""";
    }

    @Override
    public Object run(MagicContext context, String args, String body) {
        List<String> words = Args.split(args);
        if (body != null || words.size() != 1) {
            throw Args.usage(this, body != null ? "%run is a line magic" : "expected one file, got " + words.size());
        }
        String file = words.getFirst();
        if (!context.eval(file, FileText.read(this, file))) {
            throw new MagicException("%run " + file + " stopped at the error above");
        }
        return null;
    }
}
