package dev.gpush.distributed;

import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.*;

/** Slurm's variables: hostlists, the job's rendezvous, and tasks started by srun meeting without torchrun's. */
class SlurmTest {
    @Test
    void theFirstHostOfAHostlistIsWhatScontrolPrintsFirst() {
        assertEquals("node07", Slurm.firstHost("node[07-09,12]"));
        assertEquals("gpu-a1", Slurm.firstHost("gpu-a[1-2],gpu-b3"));
        assertEquals("rack2-n01", Slurm.firstHost("rack[2-3]-n[01-04]"));
        assertEquals("login5", Slurm.firstHost("login5"));
        assertEquals("c001", Slurm.firstHost("c[001,005-007],d2"));
        assertEquals("n10-ib", Slurm.firstHost("n[10-11]-ib"));
        var bad = assertThrows(IllegalStateException.class, () -> Slurm.firstHost("node[01-"));
        assertTrue(bad.getMessage().contains("node[01-"), bad.getMessage());
    }

    @Test
    void outsideSlurmThereIsNoJob() {
        assertTrue(Slurm.of(Map.of("RANK", "0")).isEmpty());
    }

    @Test
    void aTaskReadsItsJob() {
        var job = Slurm.of(Map.of("SLURM_JOB_ID", "4242", "SLURM_NNODES", "4", "SLURM_NODEID", "2",
                "SLURM_PROCID", "17", "SLURM_NTASKS", "32", "SLURM_LOCALID", "1",
                "SLURM_JOB_NODELIST", "gpu[12-15]")).orElseThrow();
        assertEquals(new Slurm(4242, 4, 2, 17, 32, 1, "gpu12"), job);
        assertEquals(14242, job.masterPort());
        var bad = assertThrows(IllegalStateException.class,
                () -> Slurm.of(Map.of("SLURM_JOB_ID", "1", "SLURM_NTASKS", "many")));
        assertEquals("SLURM_NTASKS must be an integer, got 'many'", bad.getMessage());
    }

    @Test
    void withoutRankTheSlurmTaskIdsAreTheRendezvous() {
        var env = new HashMap<>(slurmTask(5, 3, 8));
        var r = Rendezvous.fromEnvironment(env, Duration.ofSeconds(5));
        assertEquals(new Rendezvous(5, 8, 3, "host3", 10000 + 777 % 20000, Duration.ofSeconds(5)), r);

        env.put("MASTER_ADDR", "10.0.0.9");       // set by hand: wins over the hostlist and the job's port
        env.put("MASTER_PORT", "29511");
        r = Rendezvous.fromEnvironment(env, Duration.ofSeconds(5));
        assertEquals("10.0.0.9", r.masterAddr());
        assertEquals(29511, r.masterPort());

        env.putAll(Map.of("RANK", "1", "WORLD_SIZE", "2", "LOCAL_RANK", "1"));   // torchrun's variables win
        r = Rendezvous.fromEnvironment(env, Duration.ofSeconds(5));
        assertEquals(List.of(1, 2, 1), List.of(r.rank(), r.worldSize(), r.localRank()));
    }

    @Test
    void tasksStartedBySrunMeetAndAllReduce() throws Exception {
        int port = Ranks.freePort(), n = 3;
        var pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<float[]>> results = new ArrayList<>();
            for (int rank = 0; rank < n; rank++) {
                var env = new HashMap<>(slurmTask(rank, rank, n));
                env.put("SLURM_JOB_NODELIST", "localhost");
                env.put("MASTER_PORT", String.valueOf(port));     // the job's port may be taken on a shared machine
                results.add(pool.submit(() -> {
                    try (var group = ProcessGroups.create("cpu", Rendezvous.fromEnvironment(env, Duration.ofMinutes(1)))) {
                        var t = Tensor.of(new float[]{group.rank() + 1, 10});
                        group.allReduce(t);
                        return t.toFloatArray();
                    }
                }));
            }
            for (var f : results) assertArrayEquals(new float[]{6, 30}, f.get());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The variables srun gives task {@code procId} of a job of {@code ntasks} tasks on hosts host[3-4]. */
    private static Map<String, String> slurmTask(int procId, int localId, int ntasks) {
        return Map.of("SLURM_JOB_ID", "777", "SLURM_NNODES", "2", "SLURM_NODEID", "0", "SLURM_PROCID",
                String.valueOf(procId), "SLURM_NTASKS", String.valueOf(ntasks), "SLURM_LOCALID", String.valueOf(localId),
                "SLURM_JOB_NODELIST", "host[3-4]");
    }
}
