package dev.gpush.magics;

/** {@code %magic NAME}: the help of one magic, as {@code %NAME?} shows it; alone, how magics work. */
final class HelpMagic implements Magic {

    static final String INTRO = """
            Magics are commands for the session, not Java:
              %name args          a line magic, on its own line among Java lines
              %%name args         a cell magic, on a cell's first line; the rest of the cell is its body
              %name?              the help of %name (also %magic name)
              %lsmagic            lists them all
            Write your own: implement dev.gpush.magics.Magic (name, help, run) and register it from a cell,
              Magics.register(new Magic() {
                  public String name() { return "hello"; }
                  public String help() { return "say hello"; }
                  public Object run(MagicContext context, String args, String body) {
                      context.print("hello " + args + "\\n");
                      return null;
                  }
              });
            or ship it in a jar that lists it in META-INF/services/dev.gpush.magics.Magic: one on the kernel's
            class path is found when the session starts, one added with %classpath, %jars or %maven at once.
            """;

    @Override
    public String name() {
        return "magic";
    }

    @Override
    public String help() {
        return "show the help of a magic (also %NAME?), or how magics work";
    }

    @Override
    public String usage() {
        return "%magic [NAME]";
    }

    @Override
    public Object run(MagicContext context, String args, String body) {
        String name = args.strip().replaceFirst("^%%?", "");
        if (body != null || name.contains(" ")) {
            throw Args.usage(this, body != null ? "%magic is a line magic" : "expected one name, got '" + args + "'");
        }
        context.print(name.isEmpty() ? INTRO : text(context.magics().get(name)));
        return null;
    }

    /** A magic's help: its name and one line, its usage, then its documentation. */
    static String text(Magic magic) {
        String doc = magic.doc().strip();
        return "%" + magic.name() + ": " + magic.help() + "\nusage: " + magic.usage() + "\n"
                + (doc.isEmpty() ? "" : "\n" + doc + "\n");
    }
}
