package dev.gpush.kernel.engine;

import java.util.List;
import java.util.Optional;

/**
 * The result of {@link Engine#eval(String, String)}: one outcome per snippet (or magic) evaluated, in order.
 * Evaluation stops at the first one that fails, so only the last outcome can be a failure. {@code result} is the
 * rendered value of the cell's last snippet when that is an expression (or a magic's value), else null.
 */
public record Evaluation(String name, String source, List<Outcome> outcomes, MimeBundle result) {

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
