package org.scalinglab.fit.uncertainty;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scalinglab.fit.FitReport;
import org.scalinglab.fit.approach.ComputeOptimal;
import org.scalinglab.fit.approach.EnvelopeResult;
import org.scalinglab.fit.approach.FlopsCurve;
import org.scalinglab.fit.approach.IsoFlopResult;
import org.scalinglab.fit.approach.KaplanJointLaw;
import org.scalinglab.fit.approach.KaplanResult;
import org.scalinglab.fit.approach.ParametricLaw;
import org.scalinglab.fit.approach.ParametricResult;
import org.scalinglab.fit.approach.PowerLaw;
import org.scalinglab.text.Numbers;

/**
 * Predictions from a fits.json, per approach, each with bootstrap percentile intervals obtained by
 * applying the same formula to every bootstrap sample stored in the file. One C for every approach, in
 * the fit's FLOP convention: approach 3 and Kaplan's joint law minimise their L(N, D) under the runs'
 * own C(N, D) = D x F(N) ({@link ComputeOptimal}, {@link FlopsCurve}); approaches 2 and 1 use their
 * power laws N_opt(C), D_opt(C), fitted to budgets counted the same way (approach 2's loss from its
 * power law of loss_opt(C), which has no irreducible term).
 */
public final class Predictor {
    private final FitReport report;
    private final double level;
    private final FlopsCurve curve;

    public Predictor(FitReport report) {
        this.report = report;
        this.level = report.ciLevel();
        this.curve = report.curve();
    }

    /** How C relates to N and D in every prediction. */
    private String convention() {
        return curve.isSixN() ? "C = 6ND: the input gives no shapes"
                : "C = D x F(N), " + curve.flopConvention() + " FLOPs along the runs' shapes";
    }

    public List<Prediction> atCompute(double c) {
        List<Prediction> out = new ArrayList<>();
        ParametricResult p3 = report.approach3();
        if (p3 != null) {
            ParametricLaw law = p3.law();
            List<ParametricLaw> laws = parametricSamples(p3);
            double[] opt = ComputeOptimal.allocate(law::loss, curve, c);
            List<double[]> opts = laws.stream().map(l -> ComputeOptimal.allocate(l::loss, curve, c)).toList();
            out.add(allocated("approach3", c, opt, law.loss(opt[0], opt[1]), opts,
                    i -> laws.get(i).loss(opts.get(i)[0], opts.get(i)[1]), "L(N, D) minimised under " + convention()));
        }
        IsoFlopResult p2 = report.approach2();
        if (p2 != null) {
            Map<String, double[]> s = samples(p2.bootstrap());
            double n = p2.nOptLaw().value(c);
            double d = p2.dOptLaw().value(c);
            double loss = p2.lossOptLaw().value(c);
            Map<String, double[]> ci = new LinkedHashMap<>();
            ci.put("N_opt", powerInterval(p2.bootstrap(), "N_coefficient", "a", c));
            ci.put("D_opt", powerInterval(p2.bootstrap(), "D_coefficient", "b", c));
            ci.put("tokens_per_param", ratioInterval(s, c));
            ci.put("loss", powerInterval(p2.bootstrap(), "loss_coefficient", "loss_exponent", c));
            double maxBudget = p2.budgets().stream().filter(IsoFlopResult.Budget::used)
                    .mapToDouble(IsoFlopResult.Budget::flops).max().orElse(Double.NaN);
            out.add(new Prediction("approach2", c, null, null, n, d, d / n, loss, ci,
                    "power laws across IsoFLOP minima (" + curve.flopConvention() + " FLOPs); loss from a "
                            + "power law of loss_opt(C) with no irreducible term" + extrapolation(c, maxBudget)));
        }
        EnvelopeResult p1 = report.approach1();
        if (p1 != null) {
            Map<String, double[]> s = samples(p1.bootstrap());
            double n = p1.nOptLaw().value(c);
            double d = p1.dOptLaw().value(c);
            Map<String, double[]> ci = new LinkedHashMap<>();
            ci.put("N_opt", powerInterval(p1.bootstrap(), "N_coefficient", "a", c));
            ci.put("D_opt", powerInterval(p1.bootstrap(), "D_coefficient", "b", c));
            ci.put("tokens_per_param", ratioInterval(s, c));
            double maxC = p1.envelope().stream().mapToDouble(EnvelopeResult.Point::flops).max().orElse(Double.NaN);
            out.add(new Prediction("approach1", c, null, null, n, d, d / n, null, ci,
                    "power laws of the training-curve envelope; approach 1 gives no loss" + extrapolation(c, maxC)));
        }
        KaplanResult k = report.kaplan();
        if (k != null && k.joint() != null) {
            KaplanJointLaw j = k.joint();
            List<KaplanJointLaw> laws = jointSamples(k);
            double[] opt = ComputeOptimal.allocate(j::loss, curve, c);
            List<double[]> opts = laws.stream().map(l -> ComputeOptimal.allocate(l::loss, curve, c)).toList();
            out.add(allocated("kaplan", c, opt, j.loss(opt[0], opt[1]), opts,
                    i -> laws.get(i).loss(opts.get(i)[0], opts.get(i)[1]),
                    "joint L(N, D) minimised under " + convention()));
        }
        return out;
    }

    /** A prediction from an allocation and its bootstrap allocations (sample i's loss from {@code lossOf}). */
    private Prediction allocated(String approach, double c, double[] opt, double loss, List<double[]> opts,
            java.util.function.IntToDoubleFunction lossOf, String note) {
        Map<String, double[]> ci = new LinkedHashMap<>();
        ci.put("N_opt", Bootstrap.percentileInterval(opts.stream().mapToDouble(o -> o[0]).toArray(), level));
        ci.put("D_opt", Bootstrap.percentileInterval(opts.stream().mapToDouble(o -> o[1]).toArray(), level));
        ci.put("tokens_per_param", Bootstrap.percentileInterval(opts.stream().mapToDouble(o -> o[1] / o[0]).toArray(),
                level));
        ci.put("loss", Bootstrap.percentileInterval(java.util.stream.IntStream.range(0, opts.size()).mapToDouble(lossOf)
                .toArray(), level));
        return new Prediction(approach, c, null, null, opt[0], opt[1], opt[1] / opt[0], loss, ci,
                note + extrapolation(c, report.maxFittedFlops()) + support(opt[0], ci.get("N_opt")));
    }

    public List<Prediction> atSize(double n, double d) {
        List<Prediction> out = new ArrayList<>();
        double c = curve.flops(n, d);
        String note = convention() + extrapolation(c, report.maxFittedFlops()) + support(n, null);
        ParametricResult p3 = report.approach3();
        if (p3 != null) {
            List<ParametricLaw> laws = parametricSamples(p3);
            out.add(new Prediction("approach3", c, n, d, null, null, d / n, p3.law().loss(n, d),
                    Map.of("loss", interval(laws, l -> l.loss(n, d))), note));
        }
        KaplanResult k = report.kaplan();
        if (k != null && k.joint() != null) {
            List<KaplanJointLaw> laws = jointSamples(k);
            out.add(new Prediction("kaplan", c, n, d, null, null, d / n, k.joint().loss(n, d),
                    Map.of("loss", intervalOf(laws, l -> l.loss(n, d))), "joint L(N, D); " + note));
        }
        if (report.approach2() != null) {
            out.add(new Prediction("approach2", c, n, d, null, null, d / n, null, Map.of(),
                    "approach 2 models only the compute-optimal frontier, not L(N, D)"));
        }
        if (report.approach1() != null) {
            out.add(new Prediction("approach1", c, n, d, null, null, d / n, null, Map.of(),
                    "approach 1 models only the compute-optimal frontier, not L(N, D)"));
        }
        return out;
    }

    /*
     * The bootstrap samples as laws. Every interval drawn from a fit (predict's, the validation's, the
     * report's bands) takes its samples from these three methods, so all leave out the same failed refits.
     */

    /** The bootstrap laws of approach 3 whose refit succeeded; empty when the fit had no bootstrap. */
    public static List<ParametricLaw> parametricSamples(ParametricResult p3) {
        Map<String, double[]> s = samples(p3.bootstrap());
        List<ParametricLaw> laws = new ArrayList<>();
        if (!s.keySet().containsAll(List.of("E", "A", "B", "alpha", "beta"))) {
            return laws;
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

    /** The bootstrap joint laws of Kaplan's fit whose refit succeeded; empty when there are none. */
    public static List<KaplanJointLaw> jointSamples(KaplanResult k) {
        Map<String, double[]> s = samples(k.bootstrap());
        List<KaplanJointLaw> laws = new ArrayList<>();
        if (!s.keySet().containsAll(List.of("joint_alpha_N", "joint_alpha_D", "joint_N_c", "joint_D_c"))) {
            return laws;
        }
        for (int r = 0; r < s.get("joint_alpha_N").length; r++) {
            KaplanJointLaw l = new KaplanJointLaw(s.get("joint_alpha_N")[r], s.get("joint_alpha_D")[r],
                    s.get("joint_N_c")[r], s.get("joint_D_c")[r], Double.NaN, null);
            if (Double.isFinite(l.alphaN()) && Double.isFinite(l.alphaD())) {
                laws.add(l);
            }
        }
        return laws;
    }

    /**
     * The bootstrap power laws {@code coefficient * C^exponent} of approach 2 or 1 (sample columns such as
     * {@code N_coefficient} and {@code a}) whose refit succeeded; empty when the columns are missing.
     */
    public static List<PowerLaw> powerLawSamples(BootstrapSummary b, String coefficient, String exponent) {
        Map<String, double[]> s = samples(b);
        List<PowerLaw> laws = new ArrayList<>();
        double[] k = s.get(coefficient);
        double[] e = s.get(exponent);
        if (k == null || e == null) {
            return laws;
        }
        for (int r = 0; r < Math.min(k.length, e.length); r++) {
            if (Double.isFinite(k[r]) && Double.isFinite(e[r])) {
                laws.add(new PowerLaw(k[r], e[r]));
            }
        }
        return laws;
    }

    private static Map<String, double[]> samples(BootstrapSummary b) {
        return b == null || b.samples() == null ? Map.of() : b.samples();
    }

    private double[] interval(List<ParametricLaw> laws, java.util.function.ToDoubleFunction<ParametricLaw> f) {
        return Bootstrap.percentileInterval(laws.stream().mapToDouble(f).toArray(), level);
    }

    private double[] intervalOf(List<KaplanJointLaw> laws, java.util.function.ToDoubleFunction<KaplanJointLaw> f) {
        return Bootstrap.percentileInterval(laws.stream().mapToDouble(f).toArray(), level);
    }

    private double[] powerInterval(BootstrapSummary b, String coef, String exp, double c) {
        return Bootstrap.percentileInterval(powerLawSamples(b, coef, exp).stream().mapToDouble(l -> l.value(c))
                .toArray(), level);
    }

    private double[] ratioInterval(Map<String, double[]> s, double c) {
        if (!s.containsKey("N_coefficient") || !s.containsKey("D_coefficient")) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double[] v = new double[s.get("a").length];
        for (int i = 0; i < v.length; i++) {
            v[i] = s.get("D_coefficient")[i] * Math.pow(c, s.get("b")[i])
                    / (s.get("N_coefficient")[i] * Math.pow(c, s.get("a")[i]));
        }
        return Bootstrap.percentileInterval(v, level);
    }

    /**
     * A warning when N, or the upper end of its interval, lies where the fitted runs' losses do not yet
     * have the law's shape ({@link LossCurvature}): an allocation compares sizes there too.
     */
    private String support(double n, double[] interval) {
        LossCurvature lc = report.lossCurvature();
        if (lc == null || lc.unsupportedFromN() == null) {
            return "";
        }
        String where = Numbers.sig4(lc.unsupportedFromN()) + ", where the fitted runs' losses still fall faster with "
                + "each doubling of D (fits.json's loss_curvature)";
        if (lc.unsupported(n)) {
            return "; N >= " + where + ": not supported by the data";
        }
        return interval != null && interval.length == 2 && lc.unsupported(interval[1])
                ? "; its N_opt interval reaches N >= " + where + ": that part of the allocation is not supported by "
                        + "the data" : "";
    }

    /** A warning when C lies beyond the fitted data, saying by how much. */
    static String extrapolation(double c, double maxFitted) {
        if (!(maxFitted > 0) || c <= maxFitted * 1.0001) {
            return "";
        }
        return "; extrapolates " + Numbers.sig4(c / maxFitted) + "x beyond the largest fitted C ("
                + Numbers.sig4(maxFitted) + ")";
    }
}
