package org.scalinglab.fit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Predictions from a fits.json, per approach, each with bootstrap percentile intervals obtained by
 * applying the same formula to every bootstrap sample stored in the file. Approach 3 uses its closed
 * form under C = 6ND; approaches 2 and 1 their power laws N_opt(C), D_opt(C) (approach 2's loss from its
 * power law of loss_opt(C), which has no irreducible term); Kaplan the joint L(N, D) minimised under
 * C = 6ND.
 */
public final class Predictor {
    private final FitReport report;
    private final double level;

    public Predictor(FitReport report) {
        this.report = report;
        this.level = report.settings() == null ? Bootstrap.DEFAULT_LEVEL : report.settings().ciLevel();
    }

    public List<Prediction> atCompute(double c) {
        List<Prediction> out = new ArrayList<>();
        ParametricResult p3 = report.approach3();
        if (p3 != null) {
            ParametricLaw law = p3.law();
            List<ParametricLaw> laws = parametricSamples(p3);
            double n = law.optimalParams(c);
            double d = law.optimalTokens(c);
            Map<String, double[]> ci = new LinkedHashMap<>();
            ci.put("N_opt", interval(laws, l -> l.optimalParams(c)));
            ci.put("D_opt", interval(laws, l -> l.optimalTokens(c)));
            ci.put("tokens_per_param", interval(laws, l -> l.optimalTokens(c) / l.optimalParams(c)));
            ci.put("loss", interval(laws, l -> l.loss(l.optimalParams(c), l.optimalTokens(c))));
            out.add(new Prediction("approach3", c, null, null, n, d, d / n, law.loss(n, d), ci,
                    "closed form under C = 6ND" + extrapolation(c, maxFlops(p3))));
        }
        IsoFlopResult p2 = report.approach2();
        if (p2 != null) {
            Map<String, double[]> s = samples(p2.bootstrap());
            double n = p2.nOptLaw().value(c);
            double d = p2.dOptLaw().value(c);
            double loss = p2.lossOptLaw().value(c);
            Map<String, double[]> ci = new LinkedHashMap<>();
            ci.put("N_opt", powerInterval(s, "N_coefficient", "a", c));
            ci.put("D_opt", powerInterval(s, "D_coefficient", "b", c));
            ci.put("tokens_per_param", ratioInterval(s, c));
            ci.put("loss", powerInterval(s, "loss_coefficient", "loss_exponent", c));
            double maxBudget = p2.budgets().stream().filter(IsoFlopResult.Budget::used)
                    .mapToDouble(IsoFlopResult.Budget::flops).max().orElse(Double.NaN);
            out.add(new Prediction("approach2", c, null, null, n, d, d / n, loss, ci,
                    "power laws across IsoFLOP minima; loss from a power law of loss_opt(C) with no irreducible term"
                            + extrapolation(c, maxBudget)));
        }
        EnvelopeResult p1 = report.approach1();
        if (p1 != null) {
            Map<String, double[]> s = samples(p1.bootstrap());
            double n = p1.nOptLaw().value(c);
            double d = p1.dOptLaw().value(c);
            Map<String, double[]> ci = new LinkedHashMap<>();
            ci.put("N_opt", powerInterval(s, "N_coefficient", "a", c));
            ci.put("D_opt", powerInterval(s, "D_coefficient", "b", c));
            ci.put("tokens_per_param", ratioInterval(s, c));
            double maxC = p1.envelope().stream().mapToDouble(EnvelopeResult.Point::flops).max().orElse(Double.NaN);
            out.add(new Prediction("approach1", c, null, null, n, d, d / n, null, ci,
                    "power laws of the training-curve envelope; approach 1 gives no loss" + extrapolation(c, maxC)));
        }
        KaplanResult k = report.kaplan();
        if (k != null && k.joint() != null) {
            KaplanJointLaw j = k.joint();
            List<KaplanJointLaw> laws = jointSamples(k);
            double n = j.optimalParams(c);
            double d = j.optimalTokens(c);
            Map<String, double[]> ci = new LinkedHashMap<>();
            ci.put("N_opt", intervalOf(laws, l -> l.optimalParams(c)));
            ci.put("D_opt", intervalOf(laws, l -> l.optimalTokens(c)));
            ci.put("tokens_per_param", intervalOf(laws, l -> l.optimalTokens(c) / l.optimalParams(c)));
            ci.put("loss", intervalOf(laws, l -> l.loss(l.optimalParams(c), l.optimalTokens(c))));
            out.add(new Prediction("kaplan", c, null, null, n, d, d / n, j.loss(n, d), ci,
                    "joint L(N, D) minimised under C = 6ND"));
        }
        return out;
    }

    public List<Prediction> atSize(double n, double d) {
        List<Prediction> out = new ArrayList<>();
        double c = 6 * n * d;
        ParametricResult p3 = report.approach3();
        if (p3 != null) {
            List<ParametricLaw> laws = parametricSamples(p3);
            out.add(new Prediction("approach3", c, n, d, null, null, d / n, p3.law().loss(n, d),
                    Map.of("loss", interval(laws, l -> l.loss(n, d))), "C = 6ND"));
        }
        KaplanResult k = report.kaplan();
        if (k != null && k.joint() != null) {
            List<KaplanJointLaw> laws = jointSamples(k);
            out.add(new Prediction("kaplan", c, n, d, null, null, d / n, k.joint().loss(n, d),
                    Map.of("loss", intervalOf(laws, l -> l.loss(n, d))), "joint L(N, D); C = 6ND"));
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

    /** The bootstrap laws of approach 3, empty when the fit had no bootstrap. */
    static List<ParametricLaw> parametricSamples(ParametricResult p3) {
        Map<String, double[]> s = samples(p3.bootstrap());
        List<ParametricLaw> laws = new ArrayList<>();
        if (s.containsKey("E")) {
            for (int r = 0; r < s.get("E").length; r++) {
                ParametricLaw l = new ParametricLaw(s.get("E")[r], s.get("A")[r], s.get("B")[r], s.get("alpha")[r],
                        s.get("beta")[r]);
                if (Double.isFinite(l.E()) && Double.isFinite(l.alpha())) {
                    laws.add(l);
                }
            }
        }
        return laws;
    }

    static List<KaplanJointLaw> jointSamples(KaplanResult k) {
        Map<String, double[]> s = samples(k.bootstrap());
        List<KaplanJointLaw> laws = new ArrayList<>();
        if (s.containsKey("joint_alpha_N")) {
            for (int r = 0; r < s.get("joint_alpha_N").length; r++) {
                KaplanJointLaw l = new KaplanJointLaw(s.get("joint_alpha_N")[r], s.get("joint_alpha_D")[r],
                        s.get("joint_N_c")[r], s.get("joint_D_c")[r], Double.NaN, null);
                if (Double.isFinite(l.alphaN())) {
                    laws.add(l);
                }
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

    private double[] powerInterval(Map<String, double[]> s, String coef, String exp, double c) {
        if (!s.containsKey(coef) || !s.containsKey(exp)) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double[] k = s.get(coef);
        double[] e = s.get(exp);
        double[] v = new double[k.length];
        for (int i = 0; i < k.length; i++) {
            v[i] = k[i] * Math.pow(c, e[i]);
        }
        return Bootstrap.percentileInterval(v, level);
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

    private static double maxFlops(ParametricResult p3) {
        return p3.residuals() == null ? Double.NaN
                : p3.residuals().stream().mapToDouble(r -> 6 * r.params() * r.tokens()).max().orElse(Double.NaN);
    }

    /** A warning when C lies beyond the fitted data, saying by how much. */
    static String extrapolation(double c, double maxFitted) {
        if (!(maxFitted > 0) || c <= maxFitted * 1.0001) {
            return "";
        }
        return "; extrapolates " + TextTable.num(c / maxFitted) + "x beyond the largest fitted C ("
                + TextTable.num(maxFitted) + ")";
    }
}
