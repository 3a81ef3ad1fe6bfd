package org.scalinglab.fit.approach;

import static org.scalinglab.io.JsonRules.*;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.scalinglab.fit.optim.BootstrapSummary;
import org.scalinglab.fit.optim.OptimizerDiagnostics;
import org.scalinglab.io.JsonRules.ObjectRule;
import org.scalinglab.io.JsonRules.Rule;

/**
 * Approach 3's answer: the fitted law, its compute-optimal allocation (C = 6ND), the objective, the
 * optimiser's diagnostics, per-point residuals, the starts the bootstrap refits from, and (after
 * {@link ParametricFit#bootstrap}) the intervals and bootstrap samples.
 *
 * <p>The bounded variant ({@link BoundedParametricFit}) fills four more fields, which approach 3 leaves
 * null and out of fits.json: the per-point weighting, the box it searched, the parameters whose optimum
 * is on that box ({@code bounds_hit}, empty when none is), and how many bootstrap refits ended on each
 * bound.
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
        BootstrapSummary bootstrap,
        @JsonInclude(JsonInclude.Include.NON_NULL) String weighting,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, double[]> bounds,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<BoundHit> boundsHit,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, Integer> bootstrapBoundsHit) {

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

    /** A fitted parameter that ended on its bound: which, on which side ("lower" or "upper"), and the bound. */
    @JsonPropertyOrder({"parameter", "side", "bound"})
    public record BoundHit(String parameter, String side, double bound) {
        /** "alpha_upper": the key of {@code bootstrap_bounds_hit}. */
        public String key() {
            return parameter + "_" + side;
        }
    }

    static ParametricResult of(ParametricLaw law, double objective, int nPoints, double delta,
            OptimizerDiagnostics diagnostics, List<Residual> residuals, List<double[]> refitStarts) {
        return new ParametricResult(law.E(), law.A(), law.B(), law.alpha(), law.beta(), law.a(), law.b(), law.G(),
                objective, nPoints, delta, ALLOCATION_CONVENTION, Map.of(), diagnostics, residuals, refitStarts, null,
                null, null, null, null);
    }

    /** The bounded variant's result: approach 3's fields plus its weighting, box and bounds hit. */
    static ParametricResult bounded(ParametricLaw law, double objective, int nPoints, double delta,
            OptimizerDiagnostics diagnostics, List<Residual> residuals, List<double[]> refitStarts, String weighting,
            Map<String, double[]> bounds, List<BoundHit> boundsHit) {
        return new ParametricResult(law.E(), law.A(), law.B(), law.alpha(), law.beta(), law.a(), law.b(), law.G(),
                objective, nPoints, delta, ALLOCATION_CONVENTION, Map.of(), diagnostics, residuals, refitStarts, null,
                weighting, bounds, List.copyOf(boundsHit), null);
    }

    public ParametricLaw law() {
        return new ParametricLaw(E, A, B, alpha, beta);
    }

    ParametricResult withBootstrap(Map<String, double[]> intervals, BootstrapSummary summary) {
        return new ParametricResult(E, A, B, alpha, beta, a, b, G, objective, nPoints, huberDelta,
                allocationConvention, intervals, diagnostics, residuals, refitStarts, summary, weighting, bounds,
                boundsHit, bootstrapBoundsHit);
    }

    /** The bounded variant's bootstrap: intervals, samples, and how many refits ended on each bound. */
    ParametricResult withBootstrap(Map<String, double[]> intervals, BootstrapSummary summary,
            Map<String, Integer> refitsOnBounds) {
        return new ParametricResult(E, A, B, alpha, beta, a, b, G, objective, nPoints, huberDelta,
                allocationConvention, intervals, diagnostics, residuals, refitStarts, summary, weighting, bounds,
                boundsHit, refitsOnBounds);
    }

    /** What fits.json's {@code approach3} must hold: the law and its intervals, residuals and bootstrap. */
    public static final ObjectRule RULES = parametricRules();

    /** A parameter on its bound: which, which side, the bound. */
    private static final Rule BOUND_HIT = object()
            .require("parameter", text("E", "A", "B", "alpha", "beta"))
            .require("side", text("lower", "upper"))
            .require("bound", finite());

    /**
     * What fits.json's {@code approach3_bounded} must hold: approach 3's fields, the box and the bounds hit
     * (an empty list when the optimum is inside the box), and the fitted law inside its recorded box.
     */
    public static final ObjectRule BOUNDED_RULES = parametricRules()
            .require("bounds_hit", arrayOf(BOUND_HIT, 0))
            .optional("weighting", text())
            .optional("bounds", mapOf((v, path) -> {
                INTERVAL.check(v, path);
                finite().check(v.get(0), path + "[0]");
                finite().check(v.get(1), path + "[1]");
            }))
            .optional("bootstrap_bounds_hit", mapOf(integer(0)))
            .and((v, path) -> {
                JsonNode box = v.get("bounds");
                if (box == null || !box.isObject()) {
                    return;
                }
                for (String k : List.of("E", "A", "B", "alpha", "beta")) {
                    JsonNode b = box.get(k);
                    double x = v.get(k).asDouble();
                    if (b != null && !(x >= b.get(0).asDouble() && x <= b.get(1).asDouble())) {
                        throw bad(path + "." + k, "is " + x + ", outside its bounds " + b);
                    }
                }
            });

    private static ObjectRule parametricRules() {
        return object()
            .require("E", nonNegative())
            .require("A", positive())
            .require("B", positive())
            .require("alpha", PowerLaw.EXPONENT)
            .require("beta", PowerLaw.EXPONENT)
            .optional("n_points", integer(1))
            .optional("ci", INTERVALS)
            .optional("residuals", arrayOf(object().require("N", positive()).require("D", positive())
                    .optional("loss", positive()).optional("log_residual", finite()), 0))
            .optional("bootstrap", BootstrapSummary.rules("E", "A", "B", "alpha", "beta"));
    }
}
