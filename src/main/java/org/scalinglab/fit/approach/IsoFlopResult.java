package org.scalinglab.fit.approach;

import static org.scalinglab.io.JsonRules.*;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.scalinglab.fit.optim.BootstrapSummary;
import org.scalinglab.io.JsonRules.ObjectRule;
import org.scalinglab.io.JsonRules.Rule;

/**
 * Approach 2's answer: per budget, the profiles of loss in ln N and ln D, their minima and whether they
 * are usable, and across usable budgets the power laws N_opt = k_N C^a, D_opt = k_D C^b and
 * loss_opt = k_L C^g (a pure power law with no irreducible term: trust it only near the fitted budgets).
 *
 * @param curve {@code parabola} or {@code akima} (see {@link IsoFlopSettings})
 * @param window the sizes per budget the curve goes through, nearest the lowest loss; {@code all} for every size
 */
@JsonPropertyOrder({"a", "b", "ci", "curve", "window", "n_opt_law", "d_opt_law", "loss_opt_law", "budgets_used",
    "budget_rule", "budgets"})
public record IsoFlopResult(
        @JsonProperty("a") double a,
        @JsonProperty("b") double b,
        Map<String, double[]> ci,
        String curve,
        String window,
        PowerLaw nOptLaw,
        PowerLaw dOptLaw,
        PowerLaw lossOptLaw,
        int budgetsUsed,
        String budgetRule,
        String parabolaVariable,
        List<Budget> budgets,
        BootstrapSummary bootstrap) {

    /**
     * One IsoFLOP profile. {@code used} is false for edge minima and for budgets with under 3 sizes.
     * {@code fitted_N_range} and {@code fitted_sizes} are the window the curve went through; the curve is
     * {@code parabola_N}/{@code parabola_D} or {@code akima_N}/{@code akima_D} (ln loss), the other pair null.
     */
    @JsonPropertyOrder({"C", "N_opt", "D_opt", "loss_opt", "edge", "used", "reason", "n_points", "n_sizes",
        "N_range", "fitted_sizes", "fitted_N_range", "parabola_N", "parabola_D", "akima_N", "akima_D", "ci",
        "points"})
    public record Budget(
            @JsonProperty("C") double flops,
            @JsonProperty("N_opt") double nOpt,
            @JsonProperty("D_opt") double dOpt,
            @JsonProperty("loss_opt") double lossOpt,
            boolean edge,
            boolean used,
            String reason,
            int nPoints,
            int nSizes,
            @JsonProperty("N_range") double[] nRange,
            int fittedSizes,
            @JsonProperty("fitted_N_range") double[] fittedNRange,
            @JsonProperty("parabola_N") Parabola parabolaN,
            @JsonProperty("parabola_D") Parabola parabolaD,
            @JsonProperty("akima_N") AkimaSpline akimaN,
            @JsonProperty("akima_D") AkimaSpline akimaD,
            Map<String, double[]> ci,
            List<Point> points) {

        Budget withCi(Map<String, double[]> intervals) {
            return new Budget(flops, nOpt, dOpt, lossOpt, edge, used, reason, nPoints, nSizes, nRange, fittedSizes,
                    fittedNRange, parabolaN, parabolaD, akimaN, akimaD, intervals, points);
        }

        /** Whether a curve in ln N was drawn through this budget's runs. */
        @JsonIgnore
        public boolean hasCurve() {
            return parabolaN != null || akimaN != null;
        }

        /** The profile's loss at N (NaN where there is no curve, and beyond the knots of an Akima spline). */
        public double lossAt(double n) {
            if (parabolaN != null) {
                return parabolaN.value(Math.log(n));
            }
            return akimaN != null ? Math.exp(akimaN.value(Math.log(n))) : Double.NaN;
        }

        /** The sizes the curve went through: the window, or every size when fits.json predates windows. */
        @JsonIgnore
        public double[] curveNRange() {
            return fittedNRange != null ? fittedNRange : nRange;
        }

        /** The runs the curve went through (its window); outside it the curve is no model of a run. */
        @JsonIgnore
        public List<Point> fittedPoints() {
            double[] r = curveNRange();
            if (points == null || r == null) {
                return points == null ? List.of() : points;
            }
            // the window's ends are exp(ln N) of its outermost sizes, which can miss N by a rounding error
            double lo = r[0] * (1 - 1e-9);
            double hi = r[1] * (1 + 1e-9);
            return points.stream().filter(p -> p.params() >= lo && p.params() <= hi).toList();
        }
    }

    /** A run at that budget. */
    @JsonPropertyOrder({"id", "N", "D", "C", "loss"})
    public record Point(
            String id,
            @JsonProperty("N") double params,
            @JsonProperty("D") double tokens,
            @JsonProperty("C") double flops,
            double loss) {}

    /** The window and curve the profiles were drawn with; a fits.json from before windows: parabolas, every size. */
    @JsonIgnore
    public IsoFlopSettings profileSettings() {
        if (curve == null) {
            return new IsoFlopSettings(IsoFlopSettings.Curve.PARABOLA, IsoFlopSettings.ALL);
        }
        return IsoFlopSettings.parse(curve, window == null ? "all" : window);
    }

    IsoFlopResult withBootstrap(Map<String, double[]> intervals, List<Budget> withCi, BootstrapSummary summary) {
        return new IsoFlopResult(a, b, intervals, curve, window, nOptLaw, dOptLaw, lossOptLaw, budgetsUsed,
                budgetRule, parabolaVariable, withCi, summary);
    }

    private static final Rule POINT = object().require("N", positive()).require("D", positive())
            .require("C", positive()).require("loss", positive());

    private static final Rule PARABOLA = object().require("c0", finite()).require("c1", finite())
            .require("c2", finite());

    /** A used budget's minimum feeds the power laws and predictions; an edge one may be null (NaN). */
    private static final Rule BUDGET = object()
            .require("C", positive())
            .require("used", bool())
            .optional("edge", bool())
            .optional("N_opt", numberOrNull())
            .optional("D_opt", numberOrNull())
            .optional("loss_opt", numberOrNull())
            .optional("parabola_N", PARABOLA)
            .optional("parabola_D", PARABOLA)
            .optional("ci", INTERVALS)
            .optional("points", arrayOf(POINT, 0))
            .and((v, path) -> {
                if (v.get("used").asBoolean()) {
                    for (String k : List.of("N_opt", "D_opt", "loss_opt")) {
                        JsonNode x = v.get(k);
                        if (x == null || x.isNull()) {
                            throw bad(path + "." + k, "is missing, but the budget is used");
                        }
                        positive().check(x, path + "." + k);
                    }
                }
            });

    /** What fits.json's {@code approach2} must hold before predict and report trust it. */
    public static final ObjectRule RULES = object()
            .require("a", PowerLaw.EXPONENT)
            .require("b", PowerLaw.EXPONENT)
            .require("n_opt_law", PowerLaw.rules(PowerLaw.EXPONENT))
            .require("d_opt_law", PowerLaw.rules(PowerLaw.EXPONENT))
            .require("loss_opt_law", PowerLaw.rules(number(d -> d < 0,
                    "must be < 0 (a loss that does not fall with compute is outside the physical range)")))
            .require("budgets", arrayOf(BUDGET, 1))
            .optional("budgets_used", integer(0))
            .optional("ci", INTERVALS)
            .optional("bootstrap", BootstrapSummary.rules("a", "b", "N_coefficient", "D_coefficient",
                    "loss_exponent", "loss_coefficient"));
}
