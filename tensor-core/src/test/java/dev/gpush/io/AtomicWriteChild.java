package dev.gpush.io;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Run by {@link AtomicFileTest} in a separate JVM: starts replacing the file named by its argument, writes half of
 * the new content, says "halfway" and waits to be killed, so the kill lands mid-write every time.
 */
public final class AtomicWriteChild {
    static final int HALF = 4096; // bytes written before waiting

    public static void main(String[] args) throws Exception {
        AtomicFile.write(Path.of(args[0]), out -> {
            out.write(ByteBuffer.wrap(new byte[HALF]));
            out.force(true);
            System.out.println("halfway");
            System.out.flush();
            try {
                Thread.sleep(600_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the test should have killed this process");
        });
    }
}
