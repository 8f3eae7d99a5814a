package dev.gpush.kernel.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * {@code System.out}, {@code System.err} and {@code System.in}, routed to the frontend of the cell that runs.
 *
 * <p>Rules:
 * <ul>
 *   <li>The first evaluation replaces the three streams with routers; the streams it found stay underneath, and the
 *       console frontend writes to them.</li>
 *   <li>Writes go to the frontend of the latest evaluation at the moment they happen, from any thread: a training
 *       loop's prints, and a thread the cell started, reach the notebook while the cell runs. After the cell ends
 *       they go to the same frontend until the next cell begins, as in ipykernel.</li>
 *   <li>Bytes are decoded as UTF-8, keeping a character split across two writes whole.</li>
 *   <li>Reading {@code System.in} asks the frontend for a line ({@link Frontend#input}); end of input reads as -1.</li>
 * </ul>
 */
public final class Streams {

    private static volatile Frontend current;
    private static PrintStream out;
    private static PrintStream err;
    private static InputStream in;

    private Streams() {}

    /** Routes the standard streams to {@code frontend} from now on. */
    static synchronized void route(Frontend frontend) {
        // each stream on its own: code that swapped one of them back (a test capturing System.out) must not leave a
        // router underneath another router
        if (!(System.out instanceof Router)) {
            out = System.out;
            System.setOut(new Router(Frontend.Stream.STDOUT));
        }
        if (!(System.err instanceof Router)) {
            err = System.err;
            System.setErr(new Router(Frontend.Stream.STDERR));
        }
        if (!(System.in instanceof Input)) {
            in = System.in;
            System.setIn(new Input());
        }
        current = frontend;
    }

    /** The frontend that output goes to now: the latest evaluation's, or the console before any. */
    public static Frontend frontend() {
        Frontend frontend = current;
        return frontend != null ? frontend : Frontend.console();
    }

    /** The stream underneath the router, as the console frontend writes to it. */
    static synchronized PrintStream below(Frontend.Stream stream) {
        PrintStream below = stream == Frontend.Stream.STDOUT ? out : err;
        return below != null ? below : stream == Frontend.Stream.STDOUT ? System.out : System.err;
    }

    static synchronized InputStream belowIn() {
        return in != null ? in : System.in;
    }

    /** A print stream whose bytes reach the current frontend as text. */
    private static final class Router extends PrintStream {
        Router(Frontend.Stream stream) {
            super(new Decoder(stream), true, StandardCharsets.UTF_8);
        }
    }

    private static final class Decoder extends OutputStream {
        private final Frontend.Stream stream;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        private final ByteBuffer pending = ByteBuffer.allocate(8);

        Decoder(Frontend.Stream stream) {
            this.stream = stream;
        }

        @Override
        public synchronized void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            ByteBuffer input;
            if (pending.position() > 0) { // the tail of a character cut by the last write comes first
                input = ByteBuffer.allocate(pending.position() + length);
                input.put(pending.flip()).put(bytes, offset, length).flip();
                pending.clear();
            } else {
                input = ByteBuffer.wrap(bytes, offset, length);
            }
            CharBuffer text = CharBuffer.allocate(input.remaining() + 1);
            decoder.decode(input, text, false);
            pending.put(input); // at most 3 bytes of an incomplete character
            if (text.position() > 0) {
                frontend().write(stream, text.flip().toString());
            }
        }
    }

    /** {@code System.in}: lines asked of the current frontend. */
    private static final class Input extends InputStream {
        private byte[] line = new byte[0];
        private int next;

        @Override
        public synchronized int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            return line[next++] & 0xff;
        }

        @Override
        public synchronized int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, line.length - next);
            System.arraycopy(line, next, buffer, offset, n);
            next += n;
            return n;
        }

        @Override
        public synchronized int available() {
            return line.length - next;
        }

        private boolean fill() throws IOException {
            if (next < line.length) {
                return true;
            }
            String text = frontend().input("", false);
            if (text == null) {
                return false;
            }
            line = (text + "\n").getBytes(StandardCharsets.UTF_8);
            next = 0;
            return true;
        }
    }
}
