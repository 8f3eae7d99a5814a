package dev.gpush.magics;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** {@code %env}: lists, reads and sets the session's environment variables ({@link Environment}). */
final class EnvMagic implements Magic {

    private static final Pattern SET =
            Pattern.compile("([A-Za-z_][A-Za-z0-9_.]*)\\s*(?:=|\\s)\\s*(.*)", Pattern.DOTALL);
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    private final Environment environment;

    EnvMagic(Environment environment) {
        this.environment = environment;
    }

    @Override
    public String name() {
        return "env";
    }

    @Override
    public String help() {
        return "list, get or set environment variables (for processes the magics start)";
    }

    @Override
    public String usage() {
        return "%env, %env NAME, %env NAME=value or %env NAME value";
    }

    @Override
    public String doc() {
        return """
                %env                lists every variable; values of names with KEY, TOKEN, SECRET, PASS,
                                    CREDENTIAL, AUTH or PRIVATE in them show as <hidden>
                %env NAME           prints one value (hidden ones too: you asked for it)
                %env NAME=value     sets it (also %env NAME value)
                A running JVM cannot change its own environment: System.getenv in a cell keeps the values the
                kernel started with. What %env sets is seen by %env and given to the processes that magics start
                (%%bash, %%sh). Pass it to your own processes with ProcessBuilder.environment().""";
    }

    @Override
    public Object run(MagicContext context, String args, String body) {
        if (body != null) {
            throw Args.usage(this, "%env is a line magic");
        }
        String text = args.strip();
        if (text.isEmpty()) {
            context.print(environment.all().entrySet().stream()
                    .map(e -> e.getKey() + "=" + (Environment.secret(e.getKey()) ? "<hidden>" : e.getValue()))
                    .collect(Collectors.joining("\n", "", "\n")));
            return null;
        }
        if (NAME.matcher(text).matches()) {
            String value = environment.get(text).orElseThrow(
                    () -> new MagicException("%env: the environment has no variable " + text));
            context.print(value + "\n");
            return null;
        }
        Matcher set = SET.matcher(text);
        if (!set.matches()) {
            throw Args.usage(this, "'" + text + "' is not a variable name, nor NAME=value");
        }
        environment.set(set.group(1), set.group(2));
        context.print("env: " + set.group(1) + "=" + set.group(2) + "\n");
        return null;
    }
}
