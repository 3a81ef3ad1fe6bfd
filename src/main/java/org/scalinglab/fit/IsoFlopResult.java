package org.scalinglab.fit;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * Approach 2's answer: per budget, the parabolas of loss in ln N and ln D, their minima and whether they
 * are usable, and across usable budgets the power laws N_opt = k_N C^a, D_opt = k_D C^b and
 * loss_opt = k_L C^g (a pure power law with no irreducible term: trust it only near the fitted budgets).
 */
@JsonPropertyOrder({"a", "b", "ci", "n_opt_law", "d_opt_law", "loss_opt_law", "budgets_used", "budget_rule",
    "budgets"})
public record IsoFlopResult(
        @JsonProperty("a") double a,
        @JsonProperty("b") double b,
        Map<String, double[]> ci,
        PowerLaw nOptLaw,
        PowerLaw dOptLaw,
        PowerLaw lossOptLaw,
        int budgetsUsed,
        String budgetRule,
        String parabolaVariable,
        List<Budget> budgets,
        BootstrapSummary bootstrap) {

    /** One IsoFLOP profile. {@code used} is false for edge minima and for budgets with under 3 sizes. */
    @JsonPropertyOrder({"C", "N_opt", "D_opt", "loss_opt", "edge", "used", "reason", "n_points", "n_sizes",
        "N_range", "parabola_N", "parabola_D", "ci", "points"})
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
            @JsonProperty("parabola_N") Parabola parabolaN,
            @JsonProperty("parabola_D") Parabola parabolaD,
            Map<String, double[]> ci,
            List<Point> points) {

        Budget withCi(Map<String, double[]> intervals) {
            return new Budget(flops, nOpt, dOpt, lossOpt, edge, used, reason, nPoints, nSizes, nRange, parabolaN,
                    parabolaD, intervals, points);
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

    IsoFlopResult withBootstrap(Map<String, double[]> intervals, List<Budget> withCi, BootstrapSummary summary) {
        return new IsoFlopResult(a, b, intervals, nOptLaw, dOptLaw, lossOptLaw, budgetsUsed, budgetRule,
                parabolaVariable, withCi, summary);
    }
}
