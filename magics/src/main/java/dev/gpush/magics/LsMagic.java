package dev.gpush.magics;

import java.util.stream.Collectors;

/** {@code %lsmagic}: lists the magics with their one-line help. */
final class LsMagic implements Magic {

    @Override
    public String name() {
        return "lsmagic";
    }

    @Override
    public String help() {
        return "list the magics";
    }

    @Override
    public Object run(MagicContext context, String args, String body) {
        int width = context.magics().all().stream().mapToInt(m -> m.name().length()).max().orElse(0) + 3;
        String row = "  %-" + width + "s%s";
        context.print(context.magics().all().stream()
                .map(m -> row.formatted("%" + m.name(), m.help()))
                .collect(Collectors.joining("\n", "Magics: %name args on a line, or %%name args as a cell's first line\n",
                        "\n")));
        return null;
    }
}
