package dev.gpush.kernel.engine;

import java.util.List;
import java.util.Optional;

/**
 * The result of {@link Engine#eval(String, String)}: one outcome per snippet evaluated, in order. Evaluation stops
 * at the first snippet that fails, so only the last outcome can be a failure.
 */
public record Evaluation(String name, String source, List<Outcome> outcomes) {

    public Evaluation {
        outcomes = List.copyOf(outcomes);
    }

    public boolean ok() {
        return failed().isEmpty();
    }

    public Optional<Outcome> failed() {
        return outcomes.isEmpty() || outcomes.getLast().ok() ? Optional.empty() : Optional.of(outcomes.getLast());
    }

    /** The text of a source line, counted from 1; empty past the end. */
    public String line(int number) {
        return source.lines().skip(number - 1).findFirst().orElse("");
    }
}
