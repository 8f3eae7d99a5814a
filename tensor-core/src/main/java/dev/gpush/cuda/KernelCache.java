package dev.gpush.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Compiled kernels on disk, so NVRTC runs once per kernel source, GPU architecture and NVRTC version, not once per
 * session. The folder is {@code GPUSH_KERNEL_CACHE} or {@code ~/.cache/gpush/kernels}; a file is named
 * {@code <sha-256 of the source>-<target>-nvrtc<version>.<cubin|ptx>}, so a changed kernel, another GPU or another
 * NVRTC never reads a stale entry. Writes go to a temporary file moved into place, so concurrent sessions never read
 * half a file; a cache that cannot be read or written is skipped, never fatal.
 */
final class KernelCache {
    private final Path folder;

    KernelCache(Path folder) { this.folder = folder; }

    static KernelCache standard() {
        String env = System.getenv("GPUSH_KERNEL_CACHE");
        return new KernelCache(env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "gpush", "kernels"));
    }

    /** The file for a compiled {@code source}; {@code target} is e.g. {@code sm_90} (cubin) or {@code compute_90} (PTX). */
    Path path(String source, String target, String nvrtcVersion) {
        String ext = target.startsWith("sm_") ? "cubin" : "ptx";
        return folder.resolve(sha256(source) + "-" + target + "-nvrtc" + nvrtcVersion + "." + ext);
    }

    byte[] get(String source, String target, String nvrtcVersion) {
        Path p = path(source, target, nvrtcVersion);
        try {
            return Files.isRegularFile(p) ? Files.readAllBytes(p) : null;
        } catch (IOException e) {
            return null;
        }
    }

    void put(String source, String target, String nvrtcVersion, byte[] image) {
        Path p = path(source, target, nvrtcVersion);
        try {
            Files.createDirectories(folder);
            Path tmp = Files.createTempFile(folder, "kernel", ".tmp");
            Files.write(tmp, image);
            try {
                Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // a read-only home: compile again next session
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
