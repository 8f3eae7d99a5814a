package dev.gpush.kernel.engine;

import java.util.List;

/** Completions of the code at a cursor: each match replaces the code between {@code start} and {@code end}. */
public record Completion(int start, int end, List<String> matches) {
    public Completion {
        matches = List.copyOf(matches);
    }
}
