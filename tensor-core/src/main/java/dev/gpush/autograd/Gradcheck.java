package dev.gpush.autograd;

import dev.gpush.tensor.DType;
import dev.gpush.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Checks analytic gradients against central finite differences in float64, as PyTorch's gradcheck does.
 * The function is evaluated on float64 copies of the inputs; every element of every input that requires grad
 * is perturbed by ±eps, and each column of the numerical Jacobian is compared with the analytic one computed
 * by backward with a random-free basis (one backward per output element).
 */
public final class Gradcheck {
    private Gradcheck() {}

    /** Returns true when all gradients match; throws an {@link AssertionError} naming the first mismatch. */
    public static boolean check(Function<List<Tensor>, Tensor> fn, List<Tensor> inputs, double eps, double atol,
                                double rtol) {
        List<Tensor> xs = new ArrayList<>();
        for (Tensor t : inputs) {
            Tensor x = t.detach().to(DType.FLOAT64).clone();
            if (t.requiresGrad()) x.requiresGrad(true);
            xs.add(x);
        }
        Tensor out = fn.apply(xs);
        if (!out.dtype().isFloatingPoint()) throw new IllegalArgumentException("gradcheck: output must be floating point");
        int nOut = out.numel();
        for (int k = 0; k < xs.size(); k++) {
            Tensor x = xs.get(k);
            if (!x.requiresGrad()) continue;
            int n = x.numel();
            double[] analytic = new double[n * nOut];   // [input element][output element]
            double[] numeric = new double[n * nOut];
            for (int o = 0; o < nOut; o++) {
                double[] seed = new double[nOut];
                seed[o] = 1;
                Tensor y = fn.apply(xs);
                List<Tensor> g = Autograd.grad(List.of(y), List.of(x),
                        List.of(Tensor.of(seed).view(y.shapeRef().length == 0 ? new int[0] : y.shape())), false, false, true);
                double[] col = g.get(0) == null ? new double[n] : g.get(0).toDoubleArray();
                for (int i = 0; i < n; i++) analytic[i * nOut + o] = col[i];
            }
            double[] flat = x.detach().toDoubleArray();
            for (int i = 0; i < n; i++) {
                double[] plus = perturbed(fn, xs, k, flat, i, eps);
                double[] minus = perturbed(fn, xs, k, flat, i, -eps);
                for (int o = 0; o < nOut; o++) numeric[i * nOut + o] = (plus[o] - minus[o]) / (2 * eps);
            }
            for (int j = 0; j < n * nOut; j++) {
                double a = analytic[j], nu = numeric[j];
                if (!(Math.abs(a - nu) <= atol + rtol * Math.abs(nu)))
                    throw new AssertionError("gradcheck: Jacobian mismatch for input " + k + ", input element "
                            + (j / nOut) + ", output element " + (j % nOut) + ": numerical " + nu + ", analytical " + a);
            }
        }
        return true;
    }

    private static double[] perturbed(Function<List<Tensor>, Tensor> fn, List<Tensor> xs, int k, double[] flat,
                                      int i, double delta) {
        double[] v = flat.clone();
        v[i] += delta;
        List<Tensor> args = new ArrayList<>(xs);
        args.set(k, Tensor.of(v).view(xs.get(k).shape()));
        try (GradMode g = GradMode.disable()) {
            return fn.apply(args).toDoubleArray();
        }
    }
}
