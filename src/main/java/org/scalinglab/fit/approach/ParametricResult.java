package org.scalinglab.fit.approach;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import org.scalinglab.fit.Approach;
import org.scalinglab.fit.optim.OptimizerDiagnostics;
import org.scalinglab.fit.uncertainty.BootstrapSummary;

/**
 * Approach 3's answer: the fitted law, its compute-optimal allocation (C = 6ND), the objective, the
 * optimiser's diagnostics, per-point residuals, the starts the bootstrap refits from, and (after
 * {@link ParametricFit#bootstrap}) the intervals and bootstrap samples.
 */
@JsonPropertyOrder({"E", "A", "B", "alpha", "beta", "a", "b", "G", "objective", "n_points", "ci"})
public record ParametricResult(
        @JsonProperty("E") double E,
        @JsonProperty("A") double A,
        @JsonProperty("B") double B,
        @JsonProperty("alpha") double alpha,
        @JsonProperty("beta") double beta,
        @JsonProperty("a") double a,
        @JsonProperty("b") double b,
        @JsonProperty("G") double G,
        double objective,
        int nPoints,
        double huberDelta,
        String allocationConvention,
        Map<String, double[]> ci,
        OptimizerDiagnostics diagnostics,
        List<Residual> residuals,
        List<double[]> refitStarts,
        BootstrapSummary bootstrap) {

    public static final String ALLOCATION_CONVENTION = "C = 6ND";

    /** One point's fit: log residual = log L_hat - log L. */
    @JsonPropertyOrder({"id", "N", "D", "loss", "predicted", "log_residual"})
    public record Residual(
            String id,
            @JsonProperty("N") double params,
            @JsonProperty("D") double tokens,
            double loss,
            double predicted,
            double logResidual) {}

    static ParametricResult of(ParametricLaw law, double objective, int nPoints, double delta,
            OptimizerDiagnostics diagnostics, List<Residual> residuals, List<double[]> refitStarts) {
        return new ParametricResult(law.E(), law.A(), law.B(), law.alpha(), law.beta(), law.a(), law.b(), law.G(),
                objective, nPoints, delta, ALLOCATION_CONVENTION, Map.of(), diagnostics, residuals, refitStarts, null);
    }

    public ParametricLaw law() {
        return new ParametricLaw(E, A, B, alpha, beta);
    }

    ParametricResult withBootstrap(Map<String, double[]> intervals, BootstrapSummary summary) {
        return new ParametricResult(E, A, B, alpha, beta, a, b, G, objective, nPoints, huberDelta,
                allocationConvention, intervals, diagnostics, residuals, refitStarts, summary);
    }
}
