package dev.gpush.kernel.jupyter;

import java.util.ArrayList;
import java.util.List;
import org.zeromq.ZMQ;

/**
 * One of the kernel's message sockets (shell, control, stdin or IOPub) with the wire format on top.
 *
 * <p>Rules:
 * <ul>
 *   <li>{@link #send} may be called from any thread; sends are serialised, as a ZeroMQ socket is not thread-safe.
 *   <li>{@link #receive} is called by one thread at a time. It waits at most {@value #POLL_MS} ms, so that the thread
 *       can look at its flags between messages.
 *   <li>A message that fails to decode (bad signature, bad framing) is logged with the reason and dropped; the
 *       kernel goes on.
 * </ul>
 */
final class Channel {

    /** How long one {@link #receive} waits, in milliseconds. */
    static final int POLL_MS = 100;

    private final String name;
    private final ZMQ.Socket socket;
    private final Wire wire;

    Channel(String name, ZMQ.Socket socket, Wire wire) {
        this.name = name;
        this.socket = socket;
        this.wire = wire;
        socket.setReceiveTimeOut(POLL_MS);
    }

    String name() {
        return name;
    }

    synchronized void send(Message message) {
        var frames = wire.encode(message);
        for (int i = 0; i < frames.size(); i++) {
            socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    /** The next good message, or null when none came within {@value #POLL_MS} ms or the one that came was bad. */
    Message receive() {
        return receive(0);
    }

    /** The next good message if one is waiting already, else null. */
    Message receiveNow() {
        return receive(ZMQ.DONTWAIT);
    }

    private Message receive(int flags) {
        byte[] first = socket.recv(flags);
        if (first == null) {
            return null;
        }
        var frames = new ArrayList<byte[]>(List.of(first));
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv(0));
        }
        try {
            return wire.decode(frames);
        } catch (BadMessageException e) {
            Log.warn("dropped a message on " + name + ": " + e.getMessage());
            return null;
        }
    }

    /** Drops every message already waiting, without waiting for more. */
    void drain() {
        while (socket.recv(ZMQ.DONTWAIT) != null) {
            while (socket.hasReceiveMore()) {
                socket.recv(0);
            }
        }
    }
}
