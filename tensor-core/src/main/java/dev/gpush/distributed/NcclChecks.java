package dev.gpush.distributed;

import dev.gpush.cuda.Cuda;
import dev.gpush.cuda.CudaLibraries;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Tensor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What the nccl backend checks before it touches NCCL: whether it can run here, whether LOCAL_RANK names a
 * device, and whether a tensor is on this rank's device. No CUDA class is loaded here (shared/CUDA-NOTES.md, fact
 * 1), so a machine without a GPU gets these answers, and the tests run them.
 */
final class NcclChecks {
    private NcclChecks() {}

    static final String LIBRARY = "libnccl.so.2";

    /** Why the nccl backend cannot run on this machine, or null when it can. */
    static String unavailableReason() {
        boolean cuda = Cuda.isAvailable();
        return unavailableReason(cuda, cuda ? null : Cuda.unavailableReason(), cuda ? CudaLibraries.find() : null);
    }

    /** The rule, with the facts given: CUDA first (its reason), then NCCL's library among the found ones. */
    static String unavailableReason(boolean cudaAvailable, String cudaReason, CudaLibraries.Found found) {
        if (!cudaAvailable)
            return "the nccl backend needs CUDA, which is not available here (" + cudaReason + "); use "
                    + "Dist.initProcessGroup(\"cpu\") for CPU tensors, or \"auto\", which picks cpu on this machine";
        if (found.libraries().get(LIBRARY) == null) return libraryMissing(found.searched());
        return null;
    }

    /** NCCL comes from the machine, never from a jar (shared/CUDA-NOTES.md, fact 2): say where it was looked for. */
    static String libraryMissing(List<Path> searched) {
        return "the nccl backend needs NCCL's " + LIBRARY + ", which was not found; searched " + searched + ". "
                + "Install it (apt install libnccl2, or pip install nvidia-nccl-cu13) or set GPUSH_CUDA_PATH to the "
                + "folder that holds it";
    }

    /** The device of this rank: cuda:LOCAL_RANK, as torchrun users expect. */
    static Device deviceOf(int localRank, int deviceCount) {
        if (localRank >= deviceCount)
            throw new DistributedException("LOCAL_RANK " + localRank + " has no GPU: this machine has " + deviceCount
                    + " CUDA device(s) (cuda:0.." + "cuda:" + (deviceCount - 1) + "); the nccl backend runs one process "
                    + "per GPU, so start at most " + deviceCount + " processes per node (--nproc-per-node "
                    + deviceCount + ")", -1);
        return Device.cuda(localRank);
    }

    /** Throws unless {@code t} is on {@code device}, naming the backend or device to use instead. */
    static void checkTensor(Tensor t, Device device, String op) {
        if (t == null) throw new IllegalArgumentException(op + ": the tensor is null");
        Device d = t.device();
        if (d.isCpu())
            throw new IllegalArgumentException(op + ": the nccl process group takes CUDA tensors, got one on cpu; move "
                    + "it with .to(Device.cuda(" + device.index() + ")), or use the cpu backend "
                    + "(Dist.initProcessGroup(\"cpu\")) for CPU tensors");
        if (!d.equals(device))
            throw new IllegalArgumentException(op + ": this rank's nccl group works on " + device + " (its LOCAL_RANK), "
                    + "got a tensor on " + d + "; move it with .to(Device.cuda(" + device.index() + "))");
    }

    /** Checks a list of one tensor per rank, each like {@code t}: on the device, of its dtype and size. */
    static void checkList(List<Tensor> list, Tensor t, int size, Device device, String op, String name) {
        checkTensor(t, device, op);
        if (list == null || list.size() != size)
            throw new IllegalArgumentException(op + ": " + name + " needs one tensor per rank (" + size + "), got "
                    + (list == null ? "null" : list.size()));
        for (int i = 0; i < size; i++) {
            Tensor x = list.get(i);
            checkTensor(x, device, op);
            if (x.numel() != t.numel() || x.dtype() != t.dtype())
                throw new IllegalArgumentException(op + ": " + name + "[" + i + "] is " + x.dtype() + " "
                        + Arrays.toString(x.shapeRef()) + " but the tensor is " + t.dtype() + " "
                        + Arrays.toString(t.shapeRef()));
        }
    }
}
