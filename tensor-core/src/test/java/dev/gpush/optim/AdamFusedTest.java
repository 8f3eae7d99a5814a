package dev.gpush.optim;

import dev.gpush.backend.AdamStep;
import dev.gpush.cpu.CpuBackend;
import dev.gpush.tensor.DType;
import dev.gpush.tensor.Device;
import dev.gpush.tensor.Generator;
import dev.gpush.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fused Adam step (Backend.adamStep, Note [fused Adam]) against the optimizer's composite: the same operations
 * with the same roundings, so the two agree to the bit, in float32 and float64, for every option that changes the
 * update; and the layouts the fused step refuses still step, through the composite.
 */
class AdamFusedTest {

    private static Tensor randn(long seed, DType dt, int n) { return Tensor.randn(new Generator(seed), n).to(dt); }

    /** Every combination of the options the update reads (weight decay: none, L2, decoupled). */
    private static List<AdamStep> variants(double step) {
        List<AdamStep> out = new ArrayList<>();
        for (int decay = 0; decay < 3; decay++)
            for (boolean amsgrad : new boolean[]{false, true})
                for (boolean maximize : new boolean[]{false, true})
                    out.add(new AdamStep(0.01, 0.9, 0.99, 1e-6, decay == 0 ? 0 : 0.05, decay == 2, amsgrad, maximize, step));
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void fusedStepEqualsTheCompositeToTheBit(DType dt) {
        // 1 and 7 elements, and more than one parallel task's worth (Elementwise.GRAIN)
        for (int n : new int[]{1, 7, 100_003})
            for (int variant = 0; variant < 12; variant++) {
                Tensor[] fused = state(dt, n), composite = state(dt, n);
                for (int t = 1; t <= 4; t++) {
                    AdamStep s = variants(t).get(variant);
                    Tensor g = randn(10 + t, dt, n);
                    assertTrue(CpuBackend.INSTANCE.adamStep(fused[0], g, fused[1], fused[2], s.amsgrad() ? fused[3] : null, s));
                    Adam.composite(s, composite[0], g, composite[1], composite[2], s.amsgrad() ? composite[3] : null);
                }
                String what = dt + ", " + n + " elements, " + variants(1).get(variant);
                for (int i = 0; i < 4; i++)
                    assertArrayEquals(composite[i].toDoubleArray(), fused[i].toDoubleArray(), what + ", state tensor " + i);
            }
    }

    /** Parameter, m, v and vMax: a random parameter and moments as after a few steps (v >= 0, vMax >= v or not). */
    private static Tensor[] state(DType dt, int n) {
        return new Tensor[]{randn(1, dt, n), randn(2, dt, n).mul(0.1), randn(3, dt, n).square().mul(0.01),
                randn(4, dt, n).square().mul(0.01)};
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theOptimizerStepsFloat32ThroughTheFusedPathAsTheCompositeWould(boolean adamW) {
        Adam.Options o = (adamW ? AdamW.options() : Adam.options().weightDecay(0.02)).lr(0.01).amsgrad(true);
        Tensor p = randn(1, DType.FLOAT32, 1000).requiresGrad(true), q = p.detach().clone();
        Adam opt = adamW ? new AdamW(List.of(p), o) : new Adam(List.of(p), o);
        Tensor m = Tensor.zerosLike(q), v = Tensor.zerosLike(q), vMax = Tensor.zerosLike(q);
        for (int t = 1; t <= 5; t++) {
            Tensor g = randn(20 + t, DType.FLOAT32, 1000);
            p.setGrad(g);
            opt.step();
            Adam.composite(new AdamStep(0.01, 0.9, 0.999, 1e-8, o.weightDecay(), adamW, true, false, t), q, g, m, v, vMax);
            assertArrayEquals(q.toDoubleArray(), p.toDoubleArray(), "step " + t);
        }
        assertArrayEquals(vMax.toDoubleArray(), ((Tensor) opt.state(p).get("max_exp_avg_sq")).toDoubleArray());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void float32StepsFollowPyTorchsUpdateWithinFloatRounding(boolean adamW) {
        Adam.Options o = (adamW ? AdamW.options() : Adam.options()).lr(0.1).weightDecay(0.3);
        Tensor p = Tensor.of(new float[]{3f, 1f, -1.5f}).requiresGrad(true);
        Adam opt = adamW ? new AdamW(List.of(p), o) : new Adam(List.of(p), o);
        for (double[] want : AdamTest.reference(6, o)) {
            Bowl.train(opt, p);
            Bowl.assertClose(want, p, 1e-5);
        }
    }

    @Test
    void aNonContiguousGradientRunsTheCompositeAndStepsTheSame() {
        Tensor a = randn(1, DType.FLOAT32, 35).reshape(7, 5).requiresGrad(true), b = a.detach().clone().requiresGrad(true);
        Adam optA = new AdamW(List.of(a), 0.01), optB = new AdamW(List.of(b), 0.01);
        for (int t = 1; t <= 3; t++) {
            Tensor g = randn(30 + t, DType.FLOAT32, 35).reshape(5, 7).t();   // a transposed view: not contiguous
            assertFalse(Adam.fusable(b, g, b, b, null));
            a.setGrad(g.contiguous());
            b.setGrad(g);
            optA.step();
            optB.step();
            assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), "step " + t);
        }
    }

    @Test
    void onlyFloat32AndFloat64OfOneDtypeAndShapeAreFused() {
        Tensor f = Tensor.zeros(4), d = Tensor.zeros(new int[]{4}, DType.FLOAT64, Device.CPU);
        assertTrue(Adam.fusable(f, f, f, f, null));
        assertTrue(Adam.fusable(d, d, d, d, d));
        assertFalse(Adam.fusable(f, d, f, f, null), "a float64 gradient of a float32 parameter");
        assertFalse(Adam.fusable(f.half(), f.half(), f.half(), f.half(), null), "float16");
        assertFalse(Adam.fusable(f, Tensor.zeros(2, 2), f, f, null), "another shape");
        assertFalse(Adam.fusable(Tensor.zeros(0), Tensor.zeros(0), Tensor.zeros(0), Tensor.zeros(0), null), "empty");
    }
}
