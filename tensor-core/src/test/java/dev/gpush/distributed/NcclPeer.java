package dev.gpush.distributed;

import dev.gpush.tensor.Device;
import java.time.Duration;
import java.util.Arrays;

/**
 * A rank of an NCCL group in a child JVM, for the GPU tests: {@code NcclPeer RANK WORLD PORT collectives|ddp} joins
 * on {@code cuda:RANK}, runs {@link CollectiveChecks} (printing {@code OK}) or {@link NcclTraining} (printing
 * {@code PARAMS [...]}), and exits 0; a failure prints its stack trace and exits 1.
 */
public final class NcclPeer {
    public static void main(String[] args) {
        int rank = Integer.parseInt(args[0]);
        var r = new Rendezvous(rank, Integer.parseInt(args[1]), rank, "127.0.0.1", Integer.parseInt(args[2]),
                Duration.ofMinutes(2));
        try (ProcessGroup g = ProcessGroups.create("nccl", r)) {
            Device device = Device.cuda(rank);
            if (args[3].equals("ddp")) {
                System.out.println("PARAMS " + Arrays.toString(NcclTraining.trainWithDdp(g, device)));
            } else {
                CollectiveChecks.run(g, device);
                System.out.println("OK");
            }
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }
}
