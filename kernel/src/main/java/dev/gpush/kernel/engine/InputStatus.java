package dev.gpush.kernel.engine;

/**
 * Whether typed input is ready to run, as Jupyter's is_complete_request asks: complete, incomplete (the
 * continuation line gets {@code indent}), or invalid (running it can only give a compile error).
 */
public record InputStatus(Status status, String indent) {
    public enum Status { COMPLETE, INCOMPLETE, INVALID }
}
