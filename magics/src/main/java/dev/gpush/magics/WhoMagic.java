package dev.gpush.magics;

import java.util.List;

/** {@code %who [TYPE...]}: the names of the session's variables, sorted, optionally only those of some types. */
final class WhoMagic implements Magic {

    @Override
    public String name() {
        return "who";
    }

    @Override
    public String help() {
        return "list the session's variables (of the given types)";
    }

    @Override
    public String usage() {
        return "%who [TYPE...]";
    }

    @Override
    public String doc() {
        return """
                Prints the names of the session's variables, sorted, separated by tabs. With types, only the
                variables declared with one of them (as JShell names them: int, String, Tensor, List<Tensor>).
                %whos shows types and values too.
                Example:
                  %who Tensor""";
    }

    @Override
    public Object run(MagicContext context, String args, String body) {
        if (body != null) {
            throw Args.usage(this, "%who is a line magic");
        }
        List<String> types = Args.split(args);
        List<String> names = userVariables(context).stream()
                .filter(v -> types.isEmpty() || types.contains(v.type()))
                .map(MagicContext.Variable::name).sorted().toList();
        context.print(names.isEmpty() ? (types.isEmpty() ? "Interactive namespace is empty.\n"
                : "No variables match your requested type.\n") : String.join("\t", names) + "\n");
        return null;
    }

    /** The variables the user declared: JShell's own {@code $1}, {@code $2} for expression values are left out. */
    static List<MagicContext.Variable> userVariables(MagicContext context) {
        return context.variables().stream().filter(v -> !v.name().startsWith("$")).toList();
    }
}
