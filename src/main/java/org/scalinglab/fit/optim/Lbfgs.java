package org.scalinglab.fit.optim;

import java.util.Arrays;

/**
 * Limited-memory BFGS (Nocedal and Wright, algorithm 7.4, two-loop recursion) with a strong Wolfe
 * line search. Immutable: the {@code with...} methods return new instances.
 *
 * <p>Stops when the largest gradient component is at most {@code gradientTolerance * max(1, |f|)}
 * (converged), when the value has not fallen by more than a relative 1e-15 for {@code stallIterations}
 * iterations in a row, when the line search cannot decrease the objective even along the steepest
 * descent, or after {@code maxIterations}. The result says which.
 */
public final class Lbfgs {
    /** Why the iteration stopped; only {@code GRADIENT} counts as converged. */
    public enum StopReason {
        GRADIENT,
        NO_PROGRESS,
        LINE_SEARCH_FAILED,
        MAX_ITERATIONS,
        NON_FINITE_START
    }

    /** The end point with its diagnostics. */
    public record Result(
            double[] x,
            double value,
            double gradientNorm,
            int iterations,
            int evaluations,
            boolean converged,
            StopReason stopReason) {}

    private final int memory;
    private final double gradientTolerance;
    private final int maxIterations;
    private final int stallIterations;
    private final WolfeLineSearch lineSearch;

    private Lbfgs(int memory, double gradientTolerance, int maxIterations, int stallIterations, WolfeLineSearch ls) {
        if (memory < 1 || maxIterations < 1 || stallIterations < 1 || !(gradientTolerance >= 0)) {
            throw new IllegalArgumentException("invalid L-BFGS settings");
        }
        this.memory = memory;
        this.gradientTolerance = gradientTolerance;
        this.maxIterations = maxIterations;
        this.stallIterations = stallIterations;
        this.lineSearch = ls;
    }

    /** Memory 10, gradient tolerance 1e-10 (relative to max(1, |f|)), at most 5,000 iterations. */
    public static Lbfgs standard() {
        return new Lbfgs(10, 1e-10, 5_000, 20, WolfeLineSearch.standard());
    }

    public Lbfgs withMemory(int m) {
        return new Lbfgs(m, gradientTolerance, maxIterations, stallIterations, lineSearch);
    }

    public Lbfgs withGradientTolerance(double tol) {
        return new Lbfgs(memory, tol, maxIterations, stallIterations, lineSearch);
    }

    public Lbfgs withMaxIterations(int n) {
        return new Lbfgs(memory, gradientTolerance, n, stallIterations, lineSearch);
    }

    public double gradientTolerance() {
        return gradientTolerance;
    }

    public int memory() {
        return memory;
    }

    public int maxIterations() {
        return maxIterations;
    }

    public Result minimize(DifferentiableFunction fn, double[] start) {
        int n = start.length;
        double[] x = start.clone();
        double[] g = new double[n];
        double f = fn.valueAndGradient(x, g);
        int evaluations = 1;
        if (!Double.isFinite(f) || !allFinite(g)) {
            return new Result(x, f, Double.NaN, 0, evaluations, false, StopReason.NON_FINITE_START);
        }
        double[][] s = new double[memory][];
        double[][] y = new double[memory][];
        double[] rho = new double[memory];
        double[] alphaBuf = new double[memory];
        int stored = 0;
        int newest = -1;
        int stalled = 0;
        double[] d = new double[n];
        for (int iter = 0; iter < maxIterations; iter++) {
            double gNorm = maxAbs(g);
            if (gNorm <= gradientTolerance * Math.max(1, Math.abs(f))) {
                return new Result(x, f, gNorm, iter, evaluations, true, StopReason.GRADIENT);
            }
            twoLoop(g, s, y, rho, alphaBuf, stored, newest, d);
            double alpha0 = 1;
            if (stored == 0 || WolfeLineSearch.dot(d, g) >= 0) {
                steepest(g, d);
                stored = 0;
                alpha0 = Math.min(1, 1 / norm2(g));
            }
            WolfeLineSearch.Step step = lineSearch.search(fn, x, f, g, d, alpha0);
            evaluations += step.evaluations();
            if (!step.accepted() && stored > 0) {
                // a stale curvature model can point badly: forget it and try the gradient once
                stored = 0;
                steepest(g, d);
                step = lineSearch.search(fn, x, f, g, d, Math.min(1, 1 / norm2(g)));
                evaluations += step.evaluations();
            }
            if (!step.accepted()) {
                return new Result(x, f, gNorm, iter, evaluations, false, StopReason.LINE_SEARCH_FAILED);
            }
            double[] sNew = new double[n];
            double[] yNew = new double[n];
            for (int i = 0; i < n; i++) {
                sNew[i] = step.x()[i] - x[i];
                yNew[i] = step.gradient()[i] - g[i];
            }
            double sy = WolfeLineSearch.dot(sNew, yNew);
            // keep the pair only with positive curvature, so the inverse Hessian stays positive definite
            if (sy > 1e-300 && sy > 1e-12 * norm2(sNew) * norm2(yNew)) {
                newest = (newest + 1) % memory;
                s[newest] = sNew;
                y[newest] = yNew;
                rho[newest] = 1 / sy;
                stored = Math.min(stored + 1, memory);
            }
            double fPrev = f;
            x = step.x();
            g = step.gradient();
            f = step.value();
            stalled = fPrev - f <= 1e-15 * Math.abs(f) ? stalled + 1 : 0;
            if (stalled >= stallIterations) {
                return new Result(x, f, maxAbs(g), iter + 1, evaluations, false, StopReason.NO_PROGRESS);
            }
        }
        double gNorm = maxAbs(g);
        boolean ok = gNorm <= gradientTolerance * Math.max(1, Math.abs(f));
        return new Result(x, f, gNorm, maxIterations, evaluations, ok,
                ok ? StopReason.GRADIENT : StopReason.MAX_ITERATIONS);
    }

    /** d = -H g, H the L-BFGS inverse-Hessian approximation scaled by s'y / y'y of the newest pair. */
    private void twoLoop(double[] g, double[][] s, double[][] y, double[] rho, double[] alpha, int stored,
            int newest, double[] d) {
        int n = g.length;
        System.arraycopy(g, 0, d, 0, n);
        for (int k = 0, idx = newest; k < stored; k++, idx = (idx - 1 + memory) % memory) {
            alpha[idx] = rho[idx] * WolfeLineSearch.dot(s[idx], d);
            axpy(-alpha[idx], y[idx], d);
        }
        if (stored > 0) {
            double gamma = WolfeLineSearch.dot(s[newest], y[newest]) / WolfeLineSearch.dot(y[newest], y[newest]);
            for (int i = 0; i < n; i++) {
                d[i] *= gamma;
            }
        }
        int oldest = (newest - stored + 1 + memory) % memory;
        for (int k = 0, idx = oldest; k < stored; k++, idx = (idx + 1) % memory) {
            double beta = rho[idx] * WolfeLineSearch.dot(y[idx], d);
            axpy(alpha[idx] - beta, s[idx], d);
        }
        for (int i = 0; i < n; i++) {
            d[i] = -d[i];
        }
    }

    private static void steepest(double[] g, double[] d) {
        for (int i = 0; i < g.length; i++) {
            d[i] = -g[i];
        }
    }

    private static void axpy(double a, double[] xs, double[] ys) {
        for (int i = 0; i < xs.length; i++) {
            ys[i] += a * xs[i];
        }
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double e : v) {
            m = Math.max(m, Math.abs(e));
        }
        return m;
    }

    static double norm2(double[] v) {
        double s = 0;
        for (double e : v) {
            s += e * e;
        }
        return Math.sqrt(s);
    }

    private static boolean allFinite(double[] v) {
        return Arrays.stream(v).allMatch(Double::isFinite);
    }
}
