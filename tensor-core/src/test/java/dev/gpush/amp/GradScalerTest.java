package dev.gpush.amp;

import dev.gpush.io.Checkpoints;
import dev.gpush.optim.Clip;
import dev.gpush.optim.Optimizer;
import dev.gpush.optim.SGD;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * GradScaler against PyTorch's rules: scaling, exact unscaling, skipped steps on forced overflows, backoff and
 * growth of the scale, the once-per-iteration order of calls, and state dicts.
 */
class GradScalerTest {
    private static final float INF = Float.POSITIVE_INFINITY;

    /** A float32 parameter [3] and the loss {@code sum(x * p)}, whose gradient is x. */
    private static Tensor param() { return Tensor.of(1f, -2f, 0.5f).requiresGrad(true); }

    private static Tensor loss(Tensor p) { return p.mul(Tensor.of(0.75f, 3f, -1.25f)).sum(); }

    /** One clean iteration: scaled backward, step, update. Returns whether the step was taken. */
    private static boolean iteration(GradScaler scaler, Optimizer opt, Tensor p) {
        opt.zeroGrad();
        scaler.scale(loss(p)).backward();
        boolean stepped = scaler.step(opt);
        scaler.update();
        return stepped;
    }

    /** An iteration whose gradient has {@code bad} in it, as an overflowing float16 backward would give. */
    private static boolean overflowingIteration(GradScaler scaler, Optimizer opt, Tensor p, float bad) {
        opt.zeroGrad();
        scaler.scale(loss(p)).backward();
        p.setGrad(Tensor.of(1f, bad, 2f));
        boolean stepped = scaler.step(opt);
        scaler.update();
        return stepped;
    }

    @Test void defaultsArePyTorchs() {
        GradScaler s = new GradScaler();
        assertEquals(65536.0, s.getScale());
        assertEquals(2.0, s.getGrowthFactor());
        assertEquals(0.5, s.getBackoffFactor());
        assertEquals(2000, s.getGrowthInterval());
        assertTrue(s.isEnabled());
    }

    @Test void scaleMultipliesTheOutputByTheScale() {
        GradScaler s = new GradScaler(GradScaler.options().initScale(1024));
        Tensor scaled = s.scale(Tensor.scalar(1.5f));
        assertEquals(DType.FLOAT32, scaled.dtype());
        assertEquals(1536.0, scaled.item());
        List<Tensor> both = s.scale(List.of(Tensor.of(1f, 2f), Tensor.of(-3f)));
        assertArrayEquals(new float[]{1024, 2048}, both.get(0).toFloatArray());
        assertArrayEquals(new float[]{-3072}, both.get(1).toFloatArray());
    }

    @Test void unscaleDividesTheGradientsExactly() {
        Tensor p = param();
        loss(p).backward();
        float[] plain = p.grad().toFloatArray();
        p.setGrad(null);
        GradScaler s = new GradScaler();
        SGD opt = new SGD(List.of(p), 0.1);
        s.scale(loss(p)).backward();
        assertArrayEquals(new float[]{0.75f * 65536, 3f * 65536, -1.25f * 65536}, p.grad().toFloatArray());
        s.unscale_(opt);
        assertArrayEquals(plain, p.grad().toFloatArray(), 0f);
    }

    @Test void aCleanStepUpdatesTheParametersWithUnscaledGradients() {
        Tensor p = param();
        SGD opt = new SGD(List.of(p), 0.1);
        assertTrue(iteration(new GradScaler(), opt, p));
        assertArrayEquals(new float[]{1f - 0.075f, -2f - 0.3f, 0.5f + 0.125f}, p.toFloatArray(), 1e-6f);
    }

    @Test void aForcedOverflowSkipsTheStepLeavesTheParametersAndHalvesTheScale() {
        for (float bad : new float[]{INF, -INF, Float.NaN}) {
            Tensor p = param();
            SGD opt = new SGD(List.of(p), SGD.options().lr(0.1).momentum(0.9));
            GradScaler s = new GradScaler();
            float[] before = p.toFloatArray();
            assertFalse(overflowingIteration(s, opt, p, bad), "a gradient holding " + bad + " must skip the step");
            assertArrayEquals(before, p.toFloatArray(), 0f);
            assertTrue(opt.state(p).isEmpty(), "a skipped step makes no optimizer state");
            assertEquals(32768.0, s.getScale());
            assertEquals(0, s.getGrowthTracker());
            assertTrue(iteration(s, opt, p), "the next clean iteration steps");
            assertEquals(32768.0, s.getScale());
            assertEquals(1, s.getGrowthTracker());
        }
    }

    @Test void theScaleGrowsAfterGrowthIntervalCleanSteps() {
        Tensor p = param();
        SGD opt = new SGD(List.of(p), 0.01);
        GradScaler s = new GradScaler(GradScaler.options().initScale(8).growthInterval(3));
        assertTrue(iteration(s, opt, p));
        assertTrue(iteration(s, opt, p));
        assertEquals(8.0, s.getScale());
        assertEquals(2, s.getGrowthTracker());
        assertTrue(iteration(s, opt, p));
        assertEquals(16.0, s.getScale());
        assertEquals(0, s.getGrowthTracker());
        // an overflow restarts the count
        iteration(s, opt, p);
        iteration(s, opt, p);
        overflowingIteration(s, opt, p, INF);
        assertEquals(8.0, s.getScale());
        iteration(s, opt, p);
        iteration(s, opt, p);
        assertEquals(8.0, s.getScale());
        iteration(s, opt, p);
        assertEquals(16.0, s.getScale());
    }

    @Test void growthStopsWhereFloat32WouldOverflow() {
        Tensor p = param();
        SGD opt = new SGD(List.of(p), 0.0);
        GradScaler s = new GradScaler(GradScaler.options().initScale(Math.scalb(1.0, 127)).growthInterval(1));
        s.scale(p.sum().mul(1e-3)).backward();   // gradients 2^127 / 1000 stay finite
        assertTrue(s.step(opt));
        s.update();
        assertEquals(Math.scalb(1.0, 127), s.getScale());
        assertEquals(0, s.getGrowthTracker());
    }

    @Test void customFactorsAreUsed() {
        Tensor p = param();
        SGD opt = new SGD(List.of(p), 0.0);
        GradScaler s = new GradScaler(GradScaler.options().initScale(100).backoffFactor(0.25).growthFactor(3).growthInterval(1));
        overflowingIteration(s, opt, p, INF);
        assertEquals(25.0, s.getScale());
        iteration(s, opt, p);
        assertEquals(75.0, s.getScale());
    }

    @Test void stepAfterAnExplicitUnscaleDoesNotUnscaleAgain() {
        Tensor p = param();
        SGD opt = new SGD(List.of(p), 1.0);
        GradScaler s = new GradScaler();
        s.scale(loss(p)).backward();
        s.unscale_(opt);
        float[] unscaled = p.grad().toFloatArray();
        assertTrue(s.step(opt));
        assertArrayEquals(unscaled, p.grad().toFloatArray(), 0f);
        assertArrayEquals(new float[]{1f - 0.75f, -2f - 3f, 0.5f + 1.25f}, p.toFloatArray(), 0f);
    }

    @Test void clippingBetweenUnscaleAndStepSeesTheTrueGradients() {
        Tensor p = param();
        SGD opt = new SGD(List.of(p), 1.0);
        GradScaler s = new GradScaler();
        s.scale(loss(p)).backward();
        s.unscale_(opt);
        double norm = Clip.clipGradNorm(List.of(p), 1.0).item();
        assertEquals(Math.sqrt(0.75 * 0.75 + 9 + 1.25 * 1.25), norm, 1e-5, "the norm of the unscaled gradient");
        assertTrue(s.step(opt));
        s.update();
        assertEquals(1.0, p.sub(param().detach()).norm().item(), 1e-5, "a step of lr 1 along the clipped gradient");
    }

    @Test void anOverflowInOneOptimizerSkipsOnlyThatOneAndBacksOffTheScale() {
        Tensor p = param(), q = param();
        SGD a = new SGD(List.of(p), 0.1), b = new SGD(List.of(q), 0.1);
        GradScaler s = new GradScaler();
        s.scale(loss(p).add(loss(q))).backward();
        q.setGrad(Tensor.of(INF, 0f, 0f));
        float[] qBefore = q.toFloatArray();
        assertTrue(s.step(a));
        assertFalse(s.step(b));
        s.update();
        assertArrayEquals(qBefore, q.toFloatArray(), 0f);
        assertNotEquals(1f, p.toFloatArray()[0]);
        assertEquals(32768.0, s.getScale());
    }

    @Test void callsOutOfOrderAreErrors() {
        Tensor p = param();
        SGD opt = new SGD(List.of(p), 0.1);
        GradScaler s = new GradScaler();
        assertThrows(IllegalStateException.class, () -> s.step(opt), "step before scale");
        s.scale(loss(p)).backward();
        assertThrows(IllegalStateException.class, s::update, "update before any step");
        s.unscale_(opt);
        var twice = assertThrows(IllegalStateException.class, () -> s.unscale_(opt));
        assertTrue(twice.getMessage().contains("already been called"), twice.getMessage());
        s.step(opt);
        assertThrows(IllegalStateException.class, () -> s.step(opt), "step twice");
        var after = assertThrows(IllegalStateException.class, () -> s.unscale_(opt));
        assertTrue(after.getMessage().contains("after step()"), after.getMessage());
        s.update();
        s.scale(loss(p)).backward();
        s.unscale_(opt);   // a new iteration starts clean
    }

    @Test void float16GradientsAreRefused() {
        Tensor p = Tensor.of(1f, 2f).to(DType.FLOAT16).requiresGrad(true);
        SGD opt = new SGD(List.of(p), 0.1);
        GradScaler s = new GradScaler();
        s.scale(p.sum()).backward();
        var e = assertThrows(IllegalArgumentException.class, () -> s.unscale_(opt));
        assertTrue(e.getMessage().contains("FP16"), e.getMessage());
    }

    @Test void aDisabledScalerPassesThrough() {
        Tensor p = param();
        SGD opt = new SGD(List.of(p), 0.1);
        GradScaler s = new GradScaler(false);
        Tensor l = loss(p);
        assertSame(l, s.scale(l));
        l.backward();
        s.unscale_(opt);
        assertTrue(s.step(opt));
        s.update();
        assertEquals(1.0, s.getScale());
        assertArrayEquals(new float[]{1f - 0.075f, -2f - 0.3f, 0.5f + 0.125f}, p.toFloatArray(), 1e-6f);
        assertTrue(s.stateDict().isEmpty());
    }

    @Test void theStateDictRoundTrips() {
        Tensor p = param();
        SGD opt = new SGD(List.of(p), 0.0);
        GradScaler s = new GradScaler(GradScaler.options().growthInterval(10));
        overflowingIteration(s, opt, p, INF);
        iteration(s, opt, p);
        iteration(s, opt, p);
        Map<String, Object> state = s.stateDict();
        assertEquals(Map.of("scale", 32768.0, "growth_factor", 2.0, "backoff_factor", 0.5, "growth_interval", 10,
                "_growth_tracker", 2), state);
        GradScaler t = new GradScaler();
        t.loadStateDict(state);
        assertEquals(32768.0, t.getScale());
        assertEquals(2, t.getGrowthTracker());
        assertEquals(10, t.getGrowthInterval());
        var e = assertThrows(IllegalArgumentException.class, () -> t.loadStateDict(Map.of()));
        assertTrue(e.getMessage().contains("disabled instance"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.loadStateDict(Map.of("scale", "big")));
    }

    @Test void theStateSurvivesATrainingCheckpointFile(@TempDir Path dir) throws IOException {
        Tensor p = param();
        SGD opt = new SGD(List.of(p), 0.0);
        GradScaler s = new GradScaler();
        overflowingIteration(s, opt, p, INF);
        iteration(s, opt, p);
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoints.save(file, Map.of("scaler", s.stateDict()));
        @SuppressWarnings("unchecked")
        var saved = (Map<String, Object>) Checkpoints.load(file).get("scaler");
        GradScaler t = new GradScaler();
        t.loadStateDict(saved);
        assertEquals(s.stateDict(), t.stateDict());
    }

    @Test void invalidOptionsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new GradScaler(GradScaler.options().growthFactor(1.0)));
        assertThrows(IllegalArgumentException.class, () -> new GradScaler(GradScaler.options().backoffFactor(1.0)));
        assertThrows(IllegalArgumentException.class, () -> new GradScaler(GradScaler.options().growthInterval(0)));
        assertThrows(IllegalArgumentException.class, () -> new GradScaler(GradScaler.options().initScale(-1)));
    }
}
