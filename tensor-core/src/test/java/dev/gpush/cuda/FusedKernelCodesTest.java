package dev.gpush.cuda;

import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** The codes the Java side passes to the fused kernels are the ones the kernels test for. */
class FusedKernelCodesTest {

    @Test
    void adamFlagsAreOptimCusFlags() {
        String optim = KernelFile.OPTIM.text();
        assertEquals(CudaAdam.MAXIMIZE, define(optim, "GP_ADAM_MAXIMIZE"));
        assertEquals(CudaAdam.L2, define(optim, "GP_ADAM_L2"));
        assertEquals(CudaAdam.DECOUPLED, define(optim, "GP_ADAM_DECOUPLED"));
        assertEquals(CudaAdam.AMSGRAD, define(optim, "GP_ADAM_AMSGRAD"));
    }

    @Test
    void theNormsBlockIsWholeWarpsWithinCudasLimit() {
        // norms.cu's group reductions keep one word per warp in 32 shared slots
        assertEquals(0, CudaNorms.THREADS % 32);
        assertTrue(CudaNorms.THREADS <= 1024);
    }

    private static int define(String text, String name) {
        Matcher m = Pattern.compile("#define " + name + " (\\d+)\\b").matcher(text);
        assertTrue(m.find(), "no #define " + name);
        return Integer.parseInt(m.group(1));
    }
}
