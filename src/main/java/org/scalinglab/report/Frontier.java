package org.scalinglab.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.scalinglab.fit.Bootstrap;
import org.scalinglab.fit.BootstrapSummary;
import org.scalinglab.fit.EnvelopeResult;
import org.scalinglab.fit.ComputeOptimal;
import org.scalinglab.fit.FitReport;
import org.scalinglab.fit.FlopsCurve;
import org.scalinglab.fit.IsoFlopResult;
import org.scalinglab.fit.KaplanJointLaw;
import org.scalinglab.fit.KaplanResult;
import org.scalinglab.fit.ParametricLaw;
import org.scalinglab.fit.ParametricResult;
import org.scalinglab.fit.PowerLaw;

/**
 * One approach's compute-optimal frontier as functions of C: N_opt(C), D_opt(C) and, where the approach
 * models it, the loss there; each also evaluated on every bootstrap sample stored in fits.json, which
 * gives the interval bands. The same formulas as {@code Predictor}, which the prediction table uses.
 */
record Frontier(
        String key,
        String label,
        Color color,
        DoubleUnaryOperator nOpt,
        DoubleUnaryOperator dOpt,
        DoubleUnaryOperator loss,
        List<DoubleUnaryOperator> nOptSamples,
        List<DoubleUnaryOperator> dOptSamples,
        List<DoubleUnaryOperator> lossSamples,
        double a,
        double[] aInterval) {

    /** Every approach of the fit that gives N_opt(C), in the order 3, 2, 1, kaplan. */
    static List<Frontier> of(FitReport fit) {
        List<Frontier> out = new ArrayList<>();
        if (fit == null) {
            return out;
        }
        FlopsCurve curve = fit.curve();
        ParametricResult p3 = fit.approach3();
        if (p3 != null) {
            ParametricLaw law = p3.law();
            List<ParametricLaw> laws = parametricSamples(p3.bootstrap());
            out.add(allocated("approach3", "approach 3", Charts.APPROACH3, law::loss,
                    laws.stream().<DoubleBinaryOperator>map(l -> l::loss).toList(), curve, p3.a(),
                    interval(p3.ci(), "a")));
        }
        IsoFlopResult p2 = fit.approach2();
        if (p2 != null && p2.nOptLaw() != null && p2.dOptLaw() != null) {
            Map<String, double[]> s = samples(p2.bootstrap());
            PowerLaw loss = p2.lossOptLaw();
            out.add(new Frontier("approach2", "approach 2", Charts.APPROACH2, p2.nOptLaw()::value,
                    p2.dOptLaw()::value, loss == null ? null : loss::value,
                    powerSamples(s, "N_coefficient", "a"), powerSamples(s, "D_coefficient", "b"),
                    powerSamples(s, "loss_coefficient", "loss_exponent"), p2.a(), interval(p2.ci(), "a")));
        }
        EnvelopeResult p1 = fit.approach1();
        if (p1 != null && p1.nOptLaw() != null && p1.dOptLaw() != null) {
            Map<String, double[]> s = samples(p1.bootstrap());
            out.add(new Frontier("approach1", "approach 1", Charts.APPROACH1, p1.nOptLaw()::value,
                    p1.dOptLaw()::value, null, powerSamples(s, "N_coefficient", "a"),
                    powerSamples(s, "D_coefficient", "b"), List.of(), p1.a(), interval(p1.ci(), "a")));
        }
        KaplanResult k = fit.kaplan();
        if (k != null && k.joint() != null && Double.isFinite(k.joint().alphaN())) {
            KaplanJointLaw j = k.joint();
            List<KaplanJointLaw> laws = jointSamples(k.bootstrap());
            double exponent = j.alphaD() / (j.alphaN() + j.alphaD());
            out.add(allocated("kaplan", "Kaplan joint", Charts.KAPLAN, j::loss,
                    laws.stream().<DoubleBinaryOperator>map(l -> l::loss).toList(), curve, exponent, null));
        }
        return out;
    }

    /** The frontier of an L(N, D) allocated under the fit's C(N, D), with its bootstrap laws'. */
    private static Frontier allocated(String key, String label, Color color, DoubleBinaryOperator law,
            List<DoubleBinaryOperator> samples, FlopsCurve curve, double a, double[] aInterval) {
        DoubleUnaryOperator[] f = ComputeOptimal.frontier(law, curve);
        List<DoubleUnaryOperator[]> fs = samples.stream().map(l -> ComputeOptimal.frontier(l, curve)).toList();
        return new Frontier(key, label, color, f[0], f[1], f[2], fs.stream().map(x -> x[0]).toList(),
                fs.stream().map(x -> x[1]).toList(), fs.stream().map(x -> x[2]).toList(), a, aInterval);
    }

    /** The percentile band of the samples at each x; NaN where fewer than 10 samples are finite. */
    static double[][] band(List<DoubleUnaryOperator> samples, double[] x, double level) {
        double[] lo = new double[x.length];
        double[] hi = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            double[] v = new double[samples.size()];
            int finite = 0;
            for (int r = 0; r < v.length; r++) {
                v[r] = samples.get(r).applyAsDouble(x[i]);
                if (Double.isFinite(v[r])) {
                    finite++;
                }
            }
            if (finite < 10) {
                lo[i] = Double.NaN;
                hi[i] = Double.NaN;
            } else {
                double[] ci = Bootstrap.percentileInterval(v, level);
                lo[i] = ci[0];
                hi[i] = ci[1];
            }
        }
        return new double[][] {lo, hi};
    }

    static List<ParametricLaw> parametricSamples(BootstrapSummary b) {
        Map<String, double[]> s = samples(b);
        List<ParametricLaw> laws = new ArrayList<>();
        String[] names = {"E", "A", "B", "alpha", "beta"};
        for (String n : names) {
            if (!s.containsKey(n)) {
                return laws;
            }
        }
        for (int r = 0; r < s.get("E").length; r++) {
            ParametricLaw l = new ParametricLaw(s.get("E")[r], s.get("A")[r], s.get("B")[r], s.get("alpha")[r],
                    s.get("beta")[r]);
            if (Double.isFinite(l.E()) && Double.isFinite(l.alpha()) && Double.isFinite(l.beta())) {
                laws.add(l);
            }
        }
        return laws;
    }

    static List<KaplanJointLaw> jointSamples(BootstrapSummary b) {
        Map<String, double[]> s = samples(b);
        List<KaplanJointLaw> laws = new ArrayList<>();
        String[] names = {"joint_alpha_N", "joint_alpha_D", "joint_N_c", "joint_D_c"};
        for (String n : names) {
            if (!s.containsKey(n)) {
                return laws;
            }
        }
        for (int r = 0; r < s.get(names[0]).length; r++) {
            KaplanJointLaw l = new KaplanJointLaw(s.get(names[0])[r], s.get(names[1])[r], s.get(names[2])[r],
                    s.get(names[3])[r], Double.NaN, null);
            if (Double.isFinite(l.alphaN()) && Double.isFinite(l.alphaD())) {
                laws.add(l);
            }
        }
        return laws;
    }

    private static List<DoubleUnaryOperator> powerSamples(Map<String, double[]> s, String coefficient, String exponent) {
        List<DoubleUnaryOperator> out = new ArrayList<>();
        double[] k = s.get(coefficient);
        double[] e = s.get(exponent);
        if (k == null || e == null) {
            return out;
        }
        for (int r = 0; r < Math.min(k.length, e.length); r++) {
            double kr = k[r];
            double er = e[r];
            if (Double.isFinite(kr) && Double.isFinite(er)) {
                out.add(c -> kr * Math.pow(c, er));
            }
        }
        return out;
    }

    static Map<String, double[]> samples(BootstrapSummary b) {
        return b == null || b.samples() == null ? Map.of() : b.samples();
    }

    private static double[] interval(Map<String, double[]> ci, String key) {
        return ci == null ? null : ci.get(key);
    }
}
