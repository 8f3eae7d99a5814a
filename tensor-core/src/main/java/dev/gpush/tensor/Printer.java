package dev.gpush.tensor;

/** Formats tensors as PyTorch prints them. */
final class Printer {
    private Printer() {}

    static String format(Tensor t) {
        return "tensor(" + java.util.Arrays.toString(t.toDoubleArray()) + ")";
    }
}
