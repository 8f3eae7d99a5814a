package dev.gpush.distributed;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of the key-value store served by rank 0 on {@code MASTER_ADDR:MASTER_PORT} (PyTorch's {@code TCPStore}).
 * Process groups rendezvous through it: each rank publishes its address, and a NCCL group shares its unique id.
 *
 * <p>Rules:
 * <ul>
 *   <li>{@link #open} on rank 0 starts the server first; every rank (rank 0 too) then connects as a client,
 *       retrying until the rendezvous timeout, since rank 0 may start after the others.</li>
 *   <li>{@link #get} waits for a key until the timeout and then throws; {@link #missing} says which keys of a list
 *       are absent, for errors that name the ranks that did not arrive.</li>
 *   <li>One request at a time per client (the methods are synchronized). Closing rank 0's store stops the server.</li>
 * </ul>
 */
public final class TcpStore implements AutoCloseable {
    private static final long RETRY_MILLIS = 100;

    private final String address;          // host:port, for messages
    private final Duration timeout;
    private final TcpStoreServer server;   // rank 0 only
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    private TcpStore(Rendezvous r, TcpStoreServer server) {
        this.address = r.masterAddr() + ":" + r.masterPort();
        this.timeout = r.timeout();
        this.server = server;
        this.socket = connect(r);
        try {
            in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        } catch (IOException e) {
            throw lost(e);
        }
    }

    /** Connects to the store of {@code r}, serving it first when this is rank 0. */
    public static TcpStore open(Rendezvous r) {
        TcpStoreServer server = r.rank() == 0 ? new TcpStoreServer(r.masterPort()) : null;
        try {
            return new TcpStore(r, server);
        } catch (RuntimeException e) {
            if (server != null) server.close();
            throw e;
        }
    }

    private Socket connect(Rendezvous r) {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            Socket s = new Socket();
            try {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                s.connect(new InetSocketAddress(r.masterAddr(), r.masterPort()), (int) Math.min(left, Integer.MAX_VALUE));
                s.setTcpNoDelay(true);
                return s;
            } catch (IOException e) {
                last = e;
                try { s.close(); } catch (IOException ignored) { /* not connected */ }
                try {
                    Thread.sleep(RETRY_MILLIS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new DistributedException("rank " + r.rank() + " could not reach the store of rank 0 at " + address
                + " within " + timeout + " (" + last + "): is rank 0 running, and are MASTER_ADDR and MASTER_PORT "
                + "the same on every rank?", 0, last);
    }

    /** The address of this machine that reaches rank 0: the one peers should use to reach it too. */
    InetAddress localAddress() { return socket.getLocalAddress(); }

    public synchronized void set(String key, byte[] value) {
        try {
            out.writeByte(TcpStoreServer.SET);
            out.writeUTF(key);
            out.writeInt(value.length);
            out.write(value);
            out.flush();
            in.readByte();
        } catch (IOException e) {
            throw lost(e);
        }
    }

    public void set(String key, String value) { set(key, value.getBytes(StandardCharsets.UTF_8)); }

    /** The value of {@code key}, waiting for it until the timeout. */
    public byte[] get(String key) {
        byte[] v = tryGet(key, timeout);
        if (v == null)
            throw new DistributedException("store at " + address + ": key '" + key + "' was not set within " + timeout, -1);
        return v;
    }

    public String getString(String key) { return new String(get(key), StandardCharsets.UTF_8); }

    /** The value of {@code key}, or null when it is not set within {@code wait}. */
    public synchronized byte[] tryGet(String key, Duration wait) {
        try {
            out.writeByte(TcpStoreServer.GET);
            out.writeUTF(key);
            out.writeLong(Math.max(0, wait.toMillis()));
            out.flush();
            if (in.readByte() == 0) return null;
            return in.readNBytes(in.readInt());
        } catch (IOException e) {
            throw lost(e);
        }
    }

    /** Adds {@code delta} to the counter {@code key} (0 when unset) and returns the new value. */
    public synchronized long add(String key, long delta) {
        try {
            out.writeByte(TcpStoreServer.ADD);
            out.writeUTF(key);
            out.writeLong(delta);
            out.flush();
            return in.readLong();
        } catch (IOException e) {
            throw lost(e);
        }
    }

    /** The keys of {@code keys} that are not set now. */
    public synchronized List<String> missing(List<String> keys) {
        try {
            out.writeByte(TcpStoreServer.CHECK);
            out.writeInt(keys.size());
            for (String k : keys) out.writeUTF(k);
            out.flush();
            List<String> absent = new ArrayList<>();
            for (String k : keys) if (!in.readBoolean()) absent.add(k);
            return absent;
        } catch (IOException e) {
            throw lost(e);
        }
    }

    private DistributedException lost(IOException e) {
        return new DistributedException("lost the connection to the store of rank 0 at " + address + " (" + e
                + "): rank 0 has exited or destroyed its group", 0, e);
    }

    @Override public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        if (server != null) server.close();
    }
}
