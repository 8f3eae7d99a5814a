package dev.gpush.magics;

import dev.gpush.tensor.Tensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code %whos}: IPython's table of the session's variables: name, type, and a one-line summary of the value.
 *
 * <p>Rules: a tensor's summary is its shape, element count, dtype, device and bytes (as IPython's for an ndarray),
 * read from the tensor object, which one compiled snippet fetches for all tensors at once. Any other value is the
 * text JShell shows for it, on one line, cut to its first and last 25 characters when 50 or longer.
 */
final class WhosMagic implements Magic {

    private static final int COLUMN_GAP = 3;

    @Override
    public String name() {
        return "whos";
    }

    @Override
    public String help() {
        return "table of the session's variables: name, type, value";
    }

    @Override
    public String usage() {
        return "%whos [TYPE...]";
    }

    @Override
    public String doc() {
        return """
                Prints a table of the session's variables, as IPython's %whos: name, type, and the value on one
                line. A tensor shows its shape, elements, dtype, device and bytes. With types, only those.
                Example:
                  Variable   Type     Data/Info
                  -----------------------------
                  lr         double   0.001
                  x          Tensor   [64, 128]: 8192 elems, float32, cpu, 32768 bytes""";
    }

    @Override
    public Object run(MagicContext context, String args, String body) {
        if (body != null) {
            throw Args.usage(this, "%whos is a line magic");
        }
        List<String> types = Args.split(args);
        List<MagicContext.Variable> variables = WhoMagic.userVariables(context).stream()
                .filter(v -> types.isEmpty() || types.contains(v.type()))
                .sorted((a, b) -> a.name().compareTo(b.name())).toList();
        if (variables.isEmpty()) {
            context.print(types.isEmpty() ? "Interactive namespace is empty.\n"
                    : "No variables match your requested type.\n");
            return null;
        }
        context.print(table(variables, tensors(context, variables)));
        return null;
    }

    /** The table; {@code tensors} holds the tensor variables' objects by name. */
    static String table(List<MagicContext.Variable> variables, Map<String, Tensor> tensors) {
        int nameWidth = Math.max("Variable".length(), variables.stream().mapToInt(v -> v.name().length()).max()
                .orElse(0)) + COLUMN_GAP;
        int typeWidth = Math.max("Type".length(), variables.stream().mapToInt(v -> v.type().length()).max()
                .orElse(0)) + COLUMN_GAP;
        var text = new StringBuilder(pad("Variable", nameWidth) + pad("Type", typeWidth) + " Data/Info\n")
                .append("-".repeat(nameWidth + typeWidth + "Data/Info".length() + 1)).append('\n');
        for (var v : variables) {
            Tensor tensor = tensors.get(v.name());
            text.append(pad(v.name(), nameWidth)).append(pad(v.type(), typeWidth)).append(' ')
                    .append(tensor != null ? describe(tensor) : oneLine(v.value())).append('\n');
        }
        return text.toString();
    }

    /** {@code [64, 128]: 8192 elems, float32, cpu, 32768 bytes}, or why not. */
    static String describe(Tensor tensor) {
        try {
            return Arrays.toString(tensor.shape()) + ": " + tensor.numel() + " elems, " + tensor.dtype() + ", "
                    + tensor.device() + ", " + (long) tensor.numel() * tensor.dtype().itemSize() + " bytes";
        } catch (RuntimeException e) { // a closed tensor, say
            return "Tensor (" + e.getMessage() + ")";
        }
    }

    /** Line breaks as {@code \n}; 50 characters or more cut to the first and last 25 around {@code <...>}. */
    static String oneLine(String value) {
        String line = value == null ? "null" : value.replace("\n", "\\n");
        return line.length() < 50 ? line : line.substring(0, 25) + "<...>" + line.substring(line.length() - 25);
    }

    /**
     * The tensor variables' objects, fetched by one compiled {@code Supplier} that reads them when called, so that
     * the session keeps no extra reference to them. Empty when that fails: the table then shows JShell's text.
     */
    private static Map<String, Tensor> tensors(MagicContext context, List<MagicContext.Variable> variables) {
        List<String> names = variables.stream().filter(v -> v.type().equals("Tensor")
                || v.type().equals(Tensor.class.getName())).map(MagicContext.Variable::name).toList();
        if (names.isEmpty()) {
            return Map.of();
        }
        try {
            Object supplier = context.evalValue("(java.util.function.Supplier<Object[]>) () -> new Object[] {"
                    + String.join(", ", names) + "}");
            Object[] values = (Object[]) ((Supplier<?>) supplier).get();
            var tensors = new HashMap<String, Tensor>();
            for (int i = 0; i < names.size(); i++) {
                if (values[i] instanceof Tensor t) {
                    tensors.put(names.get(i), t);
                }
            }
            return tensors;
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(1, width - text.length()));
    }

}
