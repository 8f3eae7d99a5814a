package dev.gpush.kernel.engine;

import dev.gpush.magics.Magic;
import dev.gpush.magics.MagicContext;

/** A magic for tests, found through ServiceLoader: {@code %echo EXPR} prints the value of a Java expression. */
public final class EchoMagic implements Magic {

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public String help() {
        return "print the value of a Java expression (tests only)";
    }

    @Override
    public Object run(MagicContext context, String args, String body) {
        context.print(context.evalValue(args) + "\n");
        return body == null ? null : body.strip();
    }
}
