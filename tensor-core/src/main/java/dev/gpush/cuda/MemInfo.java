package dev.gpush.cuda;

/** {@code torch.cuda.mem_get_info()}: bytes free and in all on a device, as the driver sees them. */
public record MemInfo(long free, long total) {
    @Override public String toString() { return Bytes.format(free) + " free of " + Bytes.format(total); }
}
