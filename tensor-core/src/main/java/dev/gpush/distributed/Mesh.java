package dev.gpush.distributed;

import dev.gpush.tensor.InterruptedOpException;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One TCP connection from this rank to every other rank, and the mailbox their messages arrive in.
 *
 * <p>Rules:
 * <ul>
 *   <li>Rendezvous: each rank listens on an ephemeral port and publishes {@code host port worldSize} in the store
 *       (the host is the address it reached rank 0 from); once every rank has published, each connects to the
 *       ranks below it and accepts the ranks above. Who did not publish, or did not connect, is named.</li>
 *   <li>A daemon reader thread per peer drains its socket into a queue per channel (collectives, point to point)
 *       at once, so a blocking send never waits for the receiver to call recv, and sends need no thread of their
 *       own: a ring where every rank sends before it receives cannot deadlock.</li>
 *   <li>A peer's socket that ends without a goodbye frame (a crash, a kill, an abort) fails the whole mesh:
 *       every waiting or later receive throws a {@link DistributedException} naming that rank, at once, not at
 *       the timeout. A goodbye ({@link #close()}, i.e. destroyProcessGroup) ends only that peer's link, unless
 *       it carries the failure that made the peer leave: then that failure, naming the rank at its root, fails
 *       this mesh too. So the rank a message names is the one that died, not a bystander that left because of
 *       it.</li>
 *   <li>A receive waits until the caller's deadline and then names the peer it waited on.</li>
 * </ul>
 */
final class Mesh implements AutoCloseable {
    static final byte COLLECTIVE = 0, P2P = 1;
    private static final byte GOODBYE = 2;
    private static final int MAGIC = 0x67707368; // "gpsh"
    private static final String PREFIX = "gpush/cpu/";
    private static final long READER_DRAIN_MILLIS = 5_000;   // how long a failed send waits for the peer's last words

    /** One message: a piece of a chunk ({@code total} elements in all) with its collective's name and number. */
    record Frame(byte op, byte dtype, int seq, int total, byte[] payload) {}

    private final int rank, size;
    private final Socket[] sockets;
    private final DataOutputStream[] outs;
    private final Thread[] readers;
    private final List<ArrayDeque<Frame>[]> inbox = new ArrayList<>();
    private final String[] ended;            // per peer: why its link ended, null while open
    private DistributedException failure;    // the first peer lost without a goodbye
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile boolean closing;

    @SuppressWarnings("unchecked")
    private Mesh(int rank, int size) {
        this.rank = rank;
        this.size = size;
        this.sockets = new Socket[size];
        this.outs = new DataOutputStream[size];
        this.readers = new Thread[size];
        this.ended = new String[size];
        for (int i = 0; i < size; i++) inbox.add(new ArrayDeque[]{new ArrayDeque<Frame>(), new ArrayDeque<Frame>()});
    }

    static Mesh connect(Rendezvous r, TcpStore store) {
        Mesh mesh = new Mesh(r.rank(), r.worldSize());
        if (r.worldSize() == 1) return mesh;
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(0), r.worldSize());
            long deadline = System.nanoTime() + r.timeout().toNanos();
            String[][] peers = mesh.publishAndCollect(r, store, listener.getLocalPort(), deadline);
            for (int p = 0; p < r.rank(); p++) mesh.dial(p, peers[p][0], Integer.parseInt(peers[p][1]), deadline);
            mesh.acceptHigher(listener, deadline, r);
        } catch (IOException e) {
            mesh.abort();
            throw new DistributedException("rank " + r.rank() + " could not set up its connections: " + e, -1, e);
        } catch (RuntimeException e) {
            mesh.abort();
            throw e;
        }
        for (int p = 0; p < r.worldSize(); p++) if (p != r.rank()) mesh.startReader(p);
        return mesh;
    }

    private String[][] publishAndCollect(Rendezvous r, TcpStore store, int port, long deadline) {
        if (store.add(PREFIX + "arrived/" + rank, 1) > 1)
            throw new DistributedException("two processes joined as rank " + rank + ": every process needs its own RANK", rank);
        store.set(PREFIX + "peer/" + rank, store.localAddress().getHostAddress() + " " + port + " " + size);
        List<String> keys = new ArrayList<>();
        for (int p = 0; p < size; p++) keys.add(PREFIX + "peer/" + p);
        String[][] peers = new String[size][];
        for (int p = 0; p < size; p++) {
            byte[] v = store.tryGet(keys.get(p), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            if (v == null) {
                List<Integer> missing = store.missing(keys).stream()
                        .map(k -> Integer.parseInt(k.substring(k.lastIndexOf('/') + 1))).toList();
                throw r.notArrived(missing);
            }
            peers[p] = new String(v, StandardCharsets.UTF_8).split(" ");
            int theirSize = Integer.parseInt(peers[p][2]);
            if (theirSize != size)
                throw new DistributedException("rank " + p + " was started with WORLD_SIZE=" + theirSize + " but rank "
                        + rank + " with WORLD_SIZE=" + size + ": every rank needs the same WORLD_SIZE", p);
        }
        return peers;
    }

    private void dial(int peer, String host, int port, long deadline) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), millisLeft(deadline));
        } catch (IOException e) {
            s.close();
            throw new DistributedException("rank " + rank + " could not connect to rank " + peer + " at " + host + ":"
                    + port + ": " + e, peer, e);
        }
        adopt(peer, s);
        outs[peer].writeInt(MAGIC);
        outs[peer].writeInt(rank);
        outs[peer].flush();
    }

    private void acceptHigher(ServerSocket listener, long deadline, Rendezvous r) throws IOException {
        TreeSet<Integer> waiting = new TreeSet<>();
        for (int p = rank + 1; p < size; p++) waiting.add(p);
        while (!waiting.isEmpty()) {
            Socket s;
            try {
                listener.setSoTimeout(millisLeft(deadline));
                s = listener.accept();
                s.setSoTimeout(millisLeft(deadline));
                var in = new DataInputStream(s.getInputStream());
                int magic = in.readInt(), peer = in.readInt();
                if (magic != MAGIC || !waiting.remove(peer)) {
                    s.close();
                    continue; // not one of ours (a port scanner, a stale job): keep waiting
                }
                s.setSoTimeout(0);
                adopt(peer, s);
            } catch (SocketTimeoutException e) {
                throw new DistributedException("rank" + (waiting.size() == 1 ? " " + waiting.first() : "s " + waiting)
                        + " did not connect to rank " + rank + " within " + seconds(r.timeout()) + " after the rendezvous",
                        waiting.first(), e);
            }
        }
    }

    private void adopt(int peer, Socket s) throws IOException {
        s.setTcpNoDelay(true);
        sockets[peer] = s;
        outs[peer] = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
    }

    private static int millisLeft(long deadline) {
        long ms = (deadline - System.nanoTime()) / 1_000_000;
        if (ms <= 0) throw new DistributedException("rendezvous timed out", -1);
        return (int) Math.min(ms, Integer.MAX_VALUE);
    }

    private void startReader(int peer) {
        readers[peer] = new Thread(() -> read(peer), "gpush-dist-rank" + rank + "-from" + peer);
        readers[peer].setDaemon(true);
        readers[peer].start();
    }

    /** Drains one peer's socket into the inbox until its goodbye or its end. The socket stays open for sends. */
    private void read(int peer) {
        try {
            var in = new DataInputStream(new BufferedInputStream(sockets[peer].getInputStream(), 1 << 16));
            while (true) {
                byte channel = in.readByte();
                if (channel == GOODBYE) {
                    int causePeer = in.readInt();
                    String cause = in.readUTF();
                    if (cause.isEmpty()) end(peer, "rank " + peer + " has left the group (destroyProcessGroup)", null);
                    else end(peer, "rank " + peer + " left the group after an error: " + cause,
                            new DistributedException(cause, causePeer));
                    return;
                }
                byte op = in.readByte(), dtype = in.readByte();
                int seq = in.readInt(), total = in.readInt();
                byte[] payload = in.readNBytes(in.readInt());
                lock.lock();
                try {
                    inbox.get(peer)[channel].add(new Frame(op, dtype, seq, total, payload));
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        } catch (IOException e) {
            if (closing) return;
            String why = "rank " + peer + " closed its connection to rank " + rank + " without leaving the group: its "
                    + "process exited or was killed, or it aborted (" + e.getMessage() + ")";
            end(peer, why, new DistributedException(why, peer));
        }
    }

    /** Records why a peer's link ended and, when {@code fatal} is given, fails the mesh (first failure wins). */
    private void end(int peer, String why, DistributedException fatal) {
        lock.lock();
        try {
            ended[peer] = why;
            if (fatal != null && failure == null) failure = fatal;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Marks the mesh failed (a collective on it threw): {@link #close()} then tells the peers why. */
    void fail(DistributedException e) {
        lock.lock();
        try {
            if (failure == null) failure = e;
        } finally {
            lock.unlock();
        }
    }

    /** Sends one frame to {@code peer}. */
    void send(int peer, byte channel, Frame f) {
        lock.lock();
        try {
            // the failure at the root first: a peer that left because of it is a bystander
            if (failure != null) throw new DistributedException(failure.getMessage(), failure.peer());
            if (ended[peer] != null) {
                // a peer that left after sending us frames: what it sent says more (a mismatched collective, say)
                // than its goodbye, and the receive that follows reads it; there is nobody to send to
                for (var queue : inbox.get(peer)) if (!queue.isEmpty()) return;
                throw new DistributedException(ended[peer], peer);
            }
        } finally {
            lock.unlock();
        }
        DataOutputStream out = outs[peer];
        try {
            synchronized (out) {
                out.writeByte(channel);
                out.writeByte(f.op());
                out.writeByte(f.dtype());
                out.writeInt(f.seq());
                out.writeInt(f.total());
                out.writeInt(f.payload().length);
                out.write(f.payload());
                out.flush();
            }
        } catch (IOException e) {
            throw afterFailedSend(peer, e);
        }
    }

    /**
     * A write failed: the peer is gone. Its reader thread ends within moments (the socket is dead) after reading
     * what the peer said last, possibly a goodbye naming the rank whose crash made it leave; wait for that, and
     * report the first failure the mesh knows of.
     */
    private DistributedException afterFailedSend(int peer, IOException e) {
        try {
            readers[peer].join(READER_DRAIN_MILLIS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        lock.lock();
        try {
            if (failure != null) return new DistributedException(failure.getMessage(), failure.peer(), e);
            String why = ended[peer] != null ? ended[peer] : "lost the connection to rank " + peer + " while sending "
                    + "to it: its process exited or was killed (" + e.getMessage() + ")";
            failure = new DistributedException(why, peer, e);
            return failure;
        } finally {
            lock.unlock();
        }
    }

    /** The next frame from {@code peer} on {@code channel}, waiting until {@code deadline} (System.nanoTime). */
    Frame receive(int peer, byte channel, long deadline, String what, Duration timeout) {
        lock.lock();
        try {
            while (true) {
                Frame f = inbox.get(peer)[channel].poll();
                if (f != null) return f;
                if (failure != null) // a crash anywhere first: it is the cause of whatever else ended
                    throw new DistributedException(what + " on rank " + rank + " failed: " + failure.getMessage(), failure.peer());
                if (ended[peer] != null) throw new DistributedException(what + " on rank " + rank + " failed: " + ended[peer], peer);
                long left = deadline - System.nanoTime();
                if (left <= 0)
                    throw new DistributedException(what + " on rank " + rank + " timed out after " + seconds(timeout)
                            + " waiting for rank " + peer + ": it has not reached the same call (or waits on another rank)", peer);
                try {
                    changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedOpException(what);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Says goodbye to every peer (with the failure that ended this rank's group, if any) and closes the connections. */
    @Override public void close() {
        closing = true;
        DistributedException cause;
        lock.lock();
        try {
            cause = failure;
        } finally {
            lock.unlock();
        }
        for (int p = 0; p < size; p++) {
            if (outs[p] == null) continue;
            try {
                synchronized (outs[p]) {
                    outs[p].writeByte(GOODBYE);
                    outs[p].writeInt(cause == null ? -1 : cause.peer());
                    outs[p].writeUTF(cause == null ? "" : clip(cause.getMessage()));
                    outs[p].flush();
                }
            } catch (IOException ignored) {
                // the peer is gone already
            }
        }
        abort();
    }

    /** Closes every connection at once, without a goodbye: peers see this rank fail, as if it had crashed. */
    void abort() {
        closing = true;
        for (Socket s : sockets) {
            if (s == null) continue;
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static String clip(String message) {
        return message.length() > 8000 ? message.substring(0, 8000) + "..." : message; // writeUTF takes 64 KiB at most
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }
}
