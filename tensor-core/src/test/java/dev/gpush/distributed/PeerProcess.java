package dev.gpush.distributed;

import java.time.Duration;

/** A rank in a child JVM: joins the group given by its arguments (rank, world size, port), says so, and waits. */
public final class PeerProcess {
    public static void main(String[] args) throws InterruptedException {
        var r = new Rendezvous(Integer.parseInt(args[0]), Integer.parseInt(args[1]), "127.0.0.1",
                Integer.parseInt(args[2]), Duration.ofMinutes(2));
        ProcessGroup g = ProcessGroups.create("cpu", r);
        System.out.println("joined as rank " + g.rank());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
