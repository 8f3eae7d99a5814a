package dev.gpush.tensor;

import java.util.Objects;

/** Where a tensor's storage lives: the CPU, or a CUDA device by index. */
public final class Device {
    public enum Type { CPU, CUDA }

    public static final Device CPU = new Device(Type.CPU, -1);
    /** The first CUDA device; {@code Device.cuda(i)} names the others. */
    public static final Device CUDA = new Device(Type.CUDA, 0);

    private final Type type;
    private final int index;

    private Device(Type type, int index) {
        this.type = type;
        this.index = index;
    }

    public static Device cuda(int index) {
        if (index < 0) throw new IllegalArgumentException("CUDA device index must be >= 0, got " + index);
        return index == 0 ? CUDA : new Device(Type.CUDA, index);
    }

    /** Parses "cpu", "cuda" or "cuda:N". */
    public static Device of(String spec) {
        String s = spec.trim().toLowerCase();
        if (s.equals("cpu")) return CPU;
        if (s.equals("cuda")) return CUDA;
        if (s.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(s.substring(5)));
            } catch (NumberFormatException e) { /* fall through */ }
        }
        throw new IllegalArgumentException("unknown device '" + spec + "' (expected cpu, cuda or cuda:N)");
    }

    public Type type() { return type; }
    public int index() { return index; }
    public boolean isCpu() { return type == Type.CPU; }
    public boolean isCuda() { return type == Type.CUDA; }

    @Override public boolean equals(Object o) {
        return o instanceof Device d && d.type == type && d.index == index;
    }
    @Override public int hashCode() { return Objects.hash(type, index); }
    @Override public String toString() { return isCpu() ? "cpu" : "cuda:" + index; }
}
