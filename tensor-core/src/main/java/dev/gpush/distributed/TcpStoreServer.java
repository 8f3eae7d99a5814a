package dev.gpush.distributed;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;

/**
 * The key-value store that rank 0 serves on {@code MASTER_PORT} (PyTorch's {@code TCPStore} master). Each client
 * connection gets a daemon thread; requests are answered in order. The protocol is {@link TcpStore}'s.
 *
 * <p>Rules: keys are set once or counted with ADD; GET waits for its key for at most the timeout the client sent
 * and answers "not found" after it, so a client never waits on a dead socket for a key that will not come.
 */
final class TcpStoreServer implements AutoCloseable {
    static final byte SET = 1, GET = 2, ADD = 3, CHECK = 4;

    private final ServerSocket listener;
    private final Map<String, byte[]> values = new HashMap<>();
    private volatile boolean closed;

    TcpStoreServer(int port) {
        try {
            listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(port), 128);
        } catch (BindException e) {
            throw new DistributedException("rank 0 cannot serve the store on MASTER_PORT " + port + ": the port is in "
                    + "use (another job, or a group that was not destroyed?); pick another MASTER_PORT", 0, e);
        } catch (IOException e) {
            throw new DistributedException("rank 0 cannot serve the store on MASTER_PORT " + port + ": " + e, 0, e);
        }
        Thread accept = new Thread(this::acceptLoop, "gpush-store-" + port);
        accept.setDaemon(true);
        accept.start();
    }

    int port() { return listener.getLocalPort(); }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = listener.accept();
                s.setTcpNoDelay(true);
                Thread t = new Thread(() -> serve(s), "gpush-store-client");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket socket) {
        try (socket;
             var in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
             var out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()))) {
            while (true) {
                byte cmd;
                try {
                    cmd = in.readByte();
                } catch (EOFException e) {
                    return;
                }
                switch (cmd) {
                    case SET -> {
                        String key = in.readUTF();
                        byte[] v = in.readNBytes(in.readInt());
                        synchronized (this) { values.put(key, v); notifyAll(); }
                        out.writeByte(1);
                    }
                    case GET -> {
                        String key = in.readUTF();
                        byte[] v = await(key, in.readLong());
                        out.writeByte(v == null ? 0 : 1);
                        if (v != null) { out.writeInt(v.length); out.write(v); }
                    }
                    case ADD -> {
                        String key = in.readUTF();
                        out.writeLong(add(key, in.readLong()));
                    }
                    case CHECK -> {
                        int n = in.readInt();
                        for (int i = 0; i < n; i++) {
                            String key = in.readUTF();
                            synchronized (this) { out.writeBoolean(values.containsKey(key)); }
                        }
                    }
                    default -> { return; } // not our protocol: drop the connection
                }
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, or the store closed: nothing to answer
        }
    }

    private synchronized byte[] await(String key, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!values.containsKey(key) && !closed) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) return null;
            wait(left);
        }
        return values.get(key);
    }

    private synchronized long add(String key, long delta) {
        byte[] old = values.get(key);
        long v = (old == null ? 0 : Long.parseLong(new String(old, java.nio.charset.StandardCharsets.UTF_8))) + delta;
        values.put(key, Long.toString(v).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        notifyAll();
        return v;
    }

    @Override public void close() {
        closed = true;
        synchronized (this) { notifyAll(); }
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
