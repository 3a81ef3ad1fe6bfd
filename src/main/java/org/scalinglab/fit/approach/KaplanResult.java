package org.scalinglab.fit.approach;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import org.scalinglab.fit.optim.BootstrapSummary;

/**
 * Kaplan-style fits: the single-variable laws L(N), L(D), L(C) (each on its Pareto frontier: the lowest
 * loss reached with at most that much of the resource, where it is the bottleneck) and the joint
 * L(N, D). The top-level exponents and constants repeat the single laws' for convenience; a law that
 * could not be fitted is absent, with the reason in {@code notes}.
 */
@JsonPropertyOrder({"alpha_N", "N_c", "alpha_D", "D_c", "alpha_C", "C_c", "ci", "irreducible", "joint", "laws",
    "notes"})
public record KaplanResult(
        @JsonProperty("alpha_N") double alphaN,
        @JsonProperty("N_c") double nC,
        @JsonProperty("alpha_D") double alphaD,
        @JsonProperty("D_c") double dC,
        @JsonProperty("alpha_C") double alphaC,
        @JsonProperty("C_c") double cC,
        Map<String, double[]> ci,
        boolean irreducible,
        KaplanJointLaw joint,
        Map<String, KaplanLaw> laws,
        List<String> notes,
        BootstrapSummary bootstrap) {

    KaplanResult withBootstrap(Map<String, double[]> intervals, BootstrapSummary summary) {
        return new KaplanResult(alphaN, nC, alphaD, dC, alphaC, cC, intervals, irreducible, joint, laws, notes,
                summary);
    }
}
