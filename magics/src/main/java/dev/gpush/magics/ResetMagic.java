package dev.gpush.magics;

/**
 * {@code %reset [-f]}: forgets every variable, method, class and import of the session. A notebook has no prompt
 * to confirm with, so {@code %reset} resets at once, as {@code %reset -f} does; {@code -f} only keeps it quiet.
 */
final class ResetMagic implements Magic {

    @Override
    public String name() {
        return "reset";
    }

    @Override
    public String help() {
        return "forget every variable, method and class of the session";
    }

    @Override
    public String usage() {
        return "%reset [-f]";
    }

    @Override
    public String doc() {
        return """
                Forgets every snippet of the session, as JShell's /reset: variables, methods, classes and your
                imports go; gpush's own imports come back. Jars added with %classpath, %jars or %maven must be
                added again; magics registered from cells stay, and so does what %env set.
                IPython asks before it resets; a notebook has no prompt to ask with, so %reset does not ask:
                it resets at once and says so. -f resets without saying anything.""";
    }

    @Override
    public Object run(MagicContext context, String args, String body) {
        String option = args.strip();
        if (body != null || !(option.isEmpty() || option.equals("-f"))) {
            throw Args.usage(this, body != null ? "%reset is a line magic" : "unknown option '" + option + "'");
        }
        context.reset();
        if (option.isEmpty()) {
            context.print("The session was reset: its variables, methods and classes are gone "
                    + "(%reset does not ask first; -f leaves out this line).\n");
        }
        return null;
    }
}
