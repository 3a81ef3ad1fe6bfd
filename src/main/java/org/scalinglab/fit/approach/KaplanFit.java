package org.scalinglab.fit.approach;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.fit.input.RunPoint;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.optim.Bootstrap;
import org.scalinglab.fit.optim.DifferentiableFunction;
import org.scalinglab.fit.optim.Lbfgs;
import org.scalinglab.fit.optim.OptimizerDiagnostics;
import org.scalinglab.fit.optim.Parallel;

/**
 * Kaplan et al. (2020): L(N) = (N_c/N)^alpha_N, L(D) = (D_c/D)^alpha_D, L(C) = (C_c/C)^alpha_C, each
 * optionally plus an irreducible E, and the joint L(N, D) = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D.
 * All are least squares on log loss. A single law is fitted to the Pareto frontier of its variable
 * (runs whose loss is below that of every run with less of it; for C, training-curve points count too),
 * because the law describes loss when that resource is the bottleneck. Without the offset a single law
 * is a straight line in log-log; with it, and for the joint law, L-BFGS runs from a grid of starts.
 */
public final class KaplanFit {
    /** The fewest runs the law is fitted to; holdout validation keeps at least these for training. */
    public static final int MIN_POINTS = 5;
    static final int MIN_DISTINCT = 3;

    private final boolean irreducible;
    private final Lbfgs optimizer;
    private final int threads;

    public KaplanFit(boolean irreducible) {
        this(irreducible, Lbfgs.standard().withMaxIterations(1000), Parallel.defaultThreads());
    }

    private KaplanFit(boolean irreducible, Lbfgs optimizer, int threads) {
        this.irreducible = irreducible;
        this.optimizer = optimizer;
        this.threads = threads;
    }

    public KaplanFit withThreads(int n) {
        return new KaplanFit(irreducible, optimizer, Math.max(1, n));
    }

    public boolean irreducible() {
        return irreducible;
    }

    /** Joint-law starts: alpha_D, r = alpha_N/alpha_D, ln N_c, ln D_c. */
    static List<double[]> jointStarts() {
        List<double[]> s = new ArrayList<>();
        for (double ad : new double[] {0.05, 0.2, 0.5}) {
            for (double r : new double[] {0.5, 1, 2}) {
                for (double u : new double[] {6, 10, 14, 18}) {
                    for (double v : new double[] {6, 10, 14, 18}) {
                        s.add(new double[] {ad, r, u * Math.log(10), v * Math.log(10)});
                    }
                }
            }
        }
        return s;
    }

    public KaplanResult fit(RunTable table) {
        if (table.size() < MIN_POINTS) {
            throw new ScalingLabException(ExitCode.FIT, "the Kaplan fits need at least " + MIN_POINTS
                    + " runs, got " + table.size(), "add runs");
        }
        long sizes = ParametricFit.distinct(table.params());
        long lengths = ParametricFit.distinct(table.tokens());
        if (sizes < MIN_DISTINCT || lengths < MIN_DISTINCT) {
            throw new ScalingLabException(ExitCode.FIT, "the Kaplan joint L(N, D) needs at least " + MIN_DISTINCT
                    + " distinct N and " + MIN_DISTINCT + " distinct D, got " + sizes + " distinct N and " + lengths
                    + " distinct D in " + table.size() + " runs", "vary both the model size and the tokens");
        }
        List<String> notes = new ArrayList<>();
        Map<String, KaplanLaw> laws = new LinkedHashMap<>();
        for (String v : new String[] {"N", "D", "C"}) {
            List<double[]> frontier = frontier(table, v);
            KaplanLaw law = fitSingle(v, frontier);
            if (law == null) {
                notes.add("L(" + v + ") not fitted: its frontier has " + frontier.size() + " points, need "
                        + (irreducible ? 4 : 2));
            } else if (!(law.alpha() > 0)) {
                notes.add(String.format(java.util.Locale.ROOT, "L(%s) not fitted: its exponent alpha_%s = %.4g is "
                        + "not positive, outside the physical range (the loss would not fall with %s)", v, v,
                        law.alpha(), v));
            } else {
                laws.put(v, law);
            }
        }
        List<double[]> starts = jointStarts();
        JointLoss loss = new JointLoss(table);
        List<Lbfgs.Result> runs = Parallel.map(starts.size(), threads, i -> optimizer.minimize(loss, starts.get(i)));
        int best = OptimizerDiagnostics.best(runs);
        if (best < 0) {
            throw new ScalingLabException(ExitCode.FIT, "Kaplan joint fit: no start gave a finite objective",
                    "check the table for zero or negative values");
        }
        KaplanJointLaw joint = KaplanJointLaw.fromParameters(runs.get(best).x(), runs.get(best).value(),
                OptimizerDiagnostics.of(runs, best, starts.get(best), optimizer));
        if (!(joint.alphaN() > 0 && joint.alphaD() > 0)) {
            throw new ScalingLabException(ExitCode.FIT, String.format(java.util.Locale.ROOT,
                    "the Kaplan joint fit has alpha_N = %.4g and alpha_D = %.4g: a non-positive exponent is outside "
                            + "the physical range (the loss would not fall with N or D)", joint.alphaN(),
                    joint.alphaD()), "check that the losses fall with both N and D across the runs");
        }
        return new KaplanResult(get(laws, "N", true), get(laws, "N", false), get(laws, "D", true),
                get(laws, "D", false), get(laws, "C", true), get(laws, "C", false), Map.of(), irreducible, joint,
                laws, notes, null);
    }

    private static double get(Map<String, KaplanLaw> laws, String v, boolean exponent) {
        KaplanLaw l = laws.get(v);
        return l == null ? Double.NaN : exponent ? l.alpha() : l.scale();
    }

    /** {@code [x, loss]} on the Pareto frontier of loss against N, D or C, in increasing x. */
    static List<double[]> frontier(RunTable t, String variable) {
        List<double[]> pts = new ArrayList<>();
        for (RunPoint p : t.points()) {
            double x = switch (variable) {
                case "N" -> p.params();
                case "D" -> p.tokens();
                default -> p.flops();
            };
            pts.add(new double[] {x, p.loss()});
            if (variable.equals("C") && p.curve() != null) {
                for (int k = 0; k < p.curve().size(); k++) {
                    pts.add(new double[] {p.curve().flops()[k], p.curve().loss()[k]});
                }
            }
        }
        pts.sort(Comparator.<double[]>comparingDouble(a -> a[0]).thenComparingDouble(a -> a[1]));
        List<double[]> out = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        for (double[] p : pts) {
            if (p[1] < best) {
                out.add(p);
                best = p[1];
            }
        }
        return out;
    }

    KaplanLaw fitSingle(String variable, List<double[]> pts) {
        double[] x = pts.stream().mapToDouble(p -> p[0]).toArray();
        double[] y = pts.stream().mapToDouble(p -> p[1]).toArray();
        if (!irreducible) {
            PowerLaw pl = pts.size() >= 2 ? PowerLaw.fit(x, y) : null;
            if (pl == null) {
                return null;
            }
            double alpha = -pl.exponent();
            return new KaplanLaw(variable, Math.pow(pl.coefficient(), 1 / alpha), alpha, 0, pts.size(), pts);
        }
        if (pts.size() < 4) {
            return null;
        }
        SingleLoss loss = new SingleLoss(x, y);
        double medX = Math.log(median(x));
        double medL = median(y);
        Lbfgs.Result best = null;
        for (double alpha : new double[] {0.05, 0.1, 0.3, 0.6, 1.0}) {
            for (double frac : new double[] {0.1, 0.5, 0.9}) {
                double e = Math.log(frac * Arrays.stream(y).min().orElseThrow());
                double t = Math.log(Math.max(medL - Math.exp(e), 1e-3)) + alpha * medX;
                Lbfgs.Result r = optimizer.minimize(loss, new double[] {t, alpha, e});
                if (Double.isFinite(r.value()) && (best == null || r.value() < best.value())) {
                    best = r;
                }
            }
        }
        if (best == null) {
            return null;
        }
        double[] p = best.x();
        return new KaplanLaw(variable, Math.exp(p[0] / p[1]), p[1], Math.exp(p[2]), pts.size(), pts);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return Bootstrap.quantile(s, 0.5);
    }

    /** Intervals for every exponent and constant, resampling runs; the joint law refits from its optimum. */
    public KaplanResult bootstrap(RunTable table, KaplanResult fit, Bootstrap bs) {
        if (!bs.enabled()) {
            return fit;
        }
        int[][] counts = bs.resampleCounts(table.size());
        double[] optimum = {fit.joint().alphaD(), fit.joint().alphaN() / fit.joint().alphaD(),
            Math.log(fit.joint().nC()), Math.log(fit.joint().dC())};
        double[] bestStart = fit.joint().diagnostics().bestStart();
        String[] names = {"alpha_N", "N_c", "alpha_D", "D_c", "alpha_C", "C_c", "joint_alpha_N", "joint_alpha_D",
            "joint_N_c", "joint_D_c"};
        List<double[]> rows = Parallel.map(counts.length, threads, r -> {
            RunTable sample = table.select(Bootstrap.indices(counts[r]));
            double[] v = new double[names.length];
            Arrays.fill(v, Double.NaN);
            String[] vars = {"N", "D", "C"};
            for (int k = 0; k < 3; k++) {
                KaplanLaw law = fitSingle(vars[k], frontier(sample, vars[k]));
                if (law != null) {
                    v[2 * k] = law.alpha();
                    v[2 * k + 1] = law.scale();
                }
            }
            JointLoss loss = new JointLoss(sample);
            Lbfgs.Result best = null;
            for (double[] s : new double[][] {optimum, bestStart}) {
                Lbfgs.Result res = optimizer.minimize(loss, s);
                if (Double.isFinite(res.value()) && (best == null || res.value() < best.value())) {
                    best = res;
                }
            }
            if (best != null) {
                KaplanJointLaw j = KaplanJointLaw.fromParameters(best.x(), best.value(), null);
                v[6] = j.alphaN();
                v[7] = j.alphaD();
                v[8] = j.nC();
                v[9] = j.dC();
            }
            return v;
        });
        Bootstrap.Samples samples = bs.samples(names);
        for (int r = 0; r < rows.size(); r++) {
            samples.put(r, rows.get(r), Double.isFinite(rows.get(r)[6])); // a refit succeeds with its joint law
        }
        return fit.withBootstrap(samples.intervals(), samples.summary("runs", 2));
    }

    /** 0.5 * sum (log L_hat - log L)^2 for L_hat = exp(LSE(t - alpha ln X, e)). */
    private static final class SingleLoss implements DifferentiableFunction {
        private final double[] lnX;
        private final double[] lnL;

        SingleLoss(double[] x, double[] loss) {
            lnX = Arrays.stream(x).map(Math::log).toArray();
            lnL = Arrays.stream(loss).map(Math::log).toArray();
        }

        @Override
        public double valueAndGradient(double[] p, double[] g) {
            double f = 0;
            Arrays.fill(g, 0);
            for (int i = 0; i < lnX.length; i++) {
                double t1 = p[0] - p[1] * lnX[i];
                double m = Math.max(t1, p[2]);
                double e1 = Math.exp(t1 - m);
                double e2 = Math.exp(p[2] - m);
                double s = e1 + e2;
                double r = m + Math.log(s) - lnL[i];
                f += 0.5 * r * r;
                g[0] += r * e1 / s;
                g[1] -= r * e1 / s * lnX[i];
                g[2] += r * e2 / s;
            }
            return f;
        }
    }

    /** 0.5 * sum (alpha_D LSE(r (u - ln N), v - ln D) - ln L)^2 over (alpha_D, r, u, v). */
    private static final class JointLoss implements DifferentiableFunction {
        private final double[] lnN;
        private final double[] lnD;
        private final double[] lnL;

        JointLoss(RunTable t) {
            lnN = Arrays.stream(t.params()).map(Math::log).toArray();
            lnD = Arrays.stream(t.tokens()).map(Math::log).toArray();
            lnL = Arrays.stream(t.losses()).map(Math::log).toArray();
        }

        @Override
        public double valueAndGradient(double[] p, double[] g) {
            double ad = p[0];
            double r = p[1];
            double f = 0;
            Arrays.fill(g, 0);
            for (int i = 0; i < lnN.length; i++) {
                double s1 = r * (p[2] - lnN[i]);
                double s2 = p[3] - lnD[i];
                double m = Math.max(s1, s2);
                double e1 = Math.exp(s1 - m);
                double e2 = Math.exp(s2 - m);
                double sum = e1 + e2;
                double lse = m + Math.log(sum);
                double w1 = e1 / sum;
                double w2 = e2 / sum;
                double res = ad * lse - lnL[i];
                f += 0.5 * res * res;
                g[0] += res * lse;
                g[1] += res * ad * w1 * (p[2] - lnN[i]);
                g[2] += res * ad * w1 * r;
                g[3] += res * ad * w2;
            }
            return f;
        }
    }
}
