package dev.gpush.magics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A session for magics' unit tests: records what a magic did with it. Java is not compiled here; a test answers
 * {@code evalValue} with {@link #values} and {@code eval} with {@link #evalResult}.
 */
class RecordingContext implements MagicContext {

    record Evaluated(String name, String source) {}

    final List<String> out = new CopyOnWriteArrayList<>();
    final List<String> err = new CopyOnWriteArrayList<>();
    final List<Evaluated> evaluated = new ArrayList<>();
    final List<String> valuesAsked = new ArrayList<>();
    final List<Object> displayed = new ArrayList<>();
    final List<String> classpath = new ArrayList<>();
    final List<Variable> variables = new ArrayList<>();
    String nextInput;
    int resets;
    boolean evalResult = true;
    Function<String, Object> values = source -> {
        throw new MagicException("cannot compile here: " + source);
    };
    Magics magics = new Magics(List.of());

    @Override
    public boolean eval(String source) {
        return eval("%magic", source);
    }

    @Override
    public boolean eval(String name, String source) {
        evaluated.add(new Evaluated(name, source));
        return evalResult;
    }

    @Override
    public Object evalValue(String expression) {
        valuesAsked.add(expression);
        return values.apply(expression);
    }

    @Override
    public void print(String text) {
        out.add(text);
    }

    @Override
    public void printError(String text) {
        err.add(text);
    }

    @Override
    public void display(Object value) {
        displayed.add(value);
    }

    @Override
    public void setNextInput(String text) {
        nextInput = text;
    }

    @Override
    public void addToClasspath(String path) {
        classpath.add(path);
    }

    @Override
    public List<Variable> variables() {
        return List.copyOf(variables);
    }

    @Override
    public void reset() {
        resets++;
    }

    @Override
    public Magics magics() {
        return magics;
    }

    String stdout() {
        return String.join("", out);
    }

    String stderr() {
        return String.join("", err);
    }
}
