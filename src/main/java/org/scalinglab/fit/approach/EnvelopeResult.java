package org.scalinglab.fit.approach;

import static org.scalinglab.io.JsonRules.*;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import org.scalinglab.fit.optim.BootstrapSummary;
import org.scalinglab.io.JsonRules.ObjectRule;

/**
 * Approach 1's answer: the lower envelope of the training curves at log-spaced FLOP values (each point
 * naming the run that is lowest there) and the power laws N_opt = k_N C^a, D_opt = k_D C^b fitted to
 * the envelope points that are not at an edge of the sizes trained. Approach 1 gives no loss law.
 */
@JsonPropertyOrder({"a", "b", "ci", "n_opt_law", "d_opt_law", "runs_used", "grid_points", "envelope"})
public record EnvelopeResult(
        @JsonProperty("a") double a,
        @JsonProperty("b") double b,
        Map<String, double[]> ci,
        PowerLaw nOptLaw,
        PowerLaw dOptLaw,
        int runsUsed,
        int gridPoints,
        int envelopePointsUsed,
        String edgeRule,
        List<Point> envelope,
        BootstrapSummary bootstrap) {

    /** The envelope at one FLOP value; {@code edge} when the lowest run is the smallest or largest model. */
    @JsonPropertyOrder({"C", "N", "D", "loss", "run_id", "edge"})
    public record Point(
            @JsonProperty("C") double flops,
            @JsonProperty("N") double params,
            @JsonProperty("D") double tokens,
            double loss,
            String runId,
            boolean edge) {}

    EnvelopeResult withBootstrap(Map<String, double[]> intervals, BootstrapSummary summary) {
        return new EnvelopeResult(a, b, intervals, nOptLaw, dOptLaw, runsUsed, gridPoints, envelopePointsUsed,
                edgeRule, envelope, summary);
    }

    /** What fits.json's {@code approach1} must hold before predict and report trust it. */
    public static final ObjectRule RULES = object()
            .require("a", PowerLaw.EXPONENT)
            .require("b", PowerLaw.EXPONENT)
            .require("n_opt_law", PowerLaw.rules(PowerLaw.EXPONENT))
            .require("d_opt_law", PowerLaw.rules(PowerLaw.EXPONENT))
            .require("envelope", arrayOf(object().require("C", positive()).require("N", positive())
                    .require("D", positive()).require("loss", positive()).optional("edge", bool()), 1))
            .optional("ci", INTERVALS)
            .optional("bootstrap", BootstrapSummary.rules("a", "b", "N_coefficient", "D_coefficient"));
}
