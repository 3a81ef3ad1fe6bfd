package org.scalinglab.fit.uncertainty;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scalinglab.fit.approach.ComputeOptimal;
import org.scalinglab.fit.input.FlopsCurve;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.law.Law;
import org.scalinglab.fit.law.Laws;
import org.scalinglab.fit.law.LossCurvature;
import org.scalinglab.fit.optim.Bootstrap;
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

    /** Each law's compute-optimal allocation of C, with its loss where the law gives one, the recommended law first. */
    public List<Prediction> atCompute(double c) {
        return laws().stream().map(law -> atCompute(law, c)).toList();
    }

    /** One law's allocation of C (the law under {@code key}); null when the fit has none under that key. */
    public Prediction atCompute(double c, String key) {
        return Laws.find(report, key).map(law -> atCompute(law, c)).orElse(null);
    }

    private Prediction atCompute(Law law, double c) {
        List<double[]> opts = law.samples().stream().map(s -> s.optimum(c)).toList();
        double[] opt = law.optimum(c);
        Map<String, double[]> ci = new LinkedHashMap<>();
        ci.put("N_opt", interval(opts, o -> o[0]));
        ci.put("D_opt", interval(opts, o -> o[1]));
        ci.put("tokens_per_param", interval(opts, o -> o[1] / o[0]));
        if (law.hasLoss()) {
            ci.put("loss", interval(opts, o -> o[2]));
        }
        String note = law.hasJoint() ? law.about().form() + " minimised under " + convention()
                + extrapolation(c, law.about().maxFittedFlops()) + support(opt[0], ci.get("N_opt"))
                : law.about().form() + extrapolation(c, law.about().maxFittedFlops());
        return new Prediction(law.key(), recommended(law), c, null, null, opt[0], opt[1], opt[1] / opt[0],
                law.hasLoss() ? opt[2] : null, ci, note);
    }

    /** Each law's loss at (N, D); a law of the compute-optimal frontier alone says it has none. */
    public List<Prediction> atSize(double n, double d) {
        List<Prediction> out = new ArrayList<>();
        double c = curve.flops(n, d);
        String note = convention() + extrapolation(c, report.maxFittedFlops()) + support(n, null);
        for (Law law : laws()) {
            if (law.hasJoint()) {
                out.add(new Prediction(law.key(), recommended(law), c, n, d, null, null, d / n, law.loss(n, d),
                        Map.of("loss", interval(law.samples(), s -> s.loss(n, d))), law.about().form() + "; " + note));
            } else {
                out.add(new Prediction(law.key(), recommended(law), c, n, d, null, null, d / n, null, Map.of(),
                        law.about().label() + " models only the compute-optimal frontier, not L(N, D)"));
            }
        }
        return out;
    }

    /** The fit's laws, the recommended one first (the rest in fits.json's order). */
    private List<Law> laws() {
        List<Law> all = Laws.of(report);
        List<Law> out = new ArrayList<>(all.stream().filter(this::recommended).toList());
        all.stream().filter(l -> !recommended(l)).forEach(out::add);
        return out;
    }

    private boolean recommended(Law law) {
        return law.key().equals(report.recommended());
    }

    private <T> double[] interval(List<T> samples, java.util.function.ToDoubleFunction<T> f) {
        return Bootstrap.percentileInterval(samples.stream().mapToDouble(f).toArray(), level);
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
