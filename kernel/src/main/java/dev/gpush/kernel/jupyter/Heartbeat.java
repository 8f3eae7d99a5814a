package dev.gpush.kernel.jupyter;

import org.zeromq.ZMQ;

/**
 * Answers heartbeat pings: every message on the heartbeat socket is sent back unchanged. It runs on its own thread,
 * so the kernel looks alive while a cell keeps the shell busy. The kernel closes the socket after the thread ends.
 */
final class Heartbeat implements Runnable {

    private final ZMQ.Socket socket;
    private volatile boolean running = true;

    Heartbeat(ZMQ.Socket socket) {
        this.socket = socket;
        socket.setReceiveTimeOut(Channel.POLL_MS);
    }

    @Override
    public void run() {
        while (running) {
            byte[] frame = socket.recv(0);
            if (frame == null) {
                continue;
            }
            boolean more = socket.hasReceiveMore();
            socket.send(frame, more ? ZMQ.SNDMORE : 0);
            while (more) {
                frame = socket.recv(0);
                more = socket.hasReceiveMore();
                socket.send(frame, more ? ZMQ.SNDMORE : 0);
            }
        }
    }

    void stop() {
        running = false;
    }
}
