package org.scalinglab.fit.approach;

import static org.scalinglab.io.JsonRules.*;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import org.scalinglab.fit.optim.BootstrapSummary;
import org.scalinglab.io.JsonRules.ObjectRule;
import org.scalinglab.io.JsonRules.Rule;

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

    private static final Rule LAW_RULES = object()
            .require("X_c", positive())
            .require("alpha", PowerLaw.EXPONENT)
            .optional("E", nonNegative())
            .optional("points", arrayOf(arrayOf(finite(), 2), 0));

    /** What fits.json's {@code kaplan} must hold before predict and report trust it. */
    public static final ObjectRule RULES = object()
            .optional("alpha_N", PowerLaw.EXPONENT)
            .optional("alpha_D", PowerLaw.EXPONENT)
            .optional("alpha_C", PowerLaw.EXPONENT)
            .optional("N_c", positive())
            .optional("D_c", positive())
            .optional("C_c", positive())
            .require("joint", object().require("alpha_N", PowerLaw.EXPONENT).require("alpha_D", PowerLaw.EXPONENT)
                    .require("N_c", positive()).require("D_c", positive()))
            .optional("laws", mapOf(LAW_RULES))
            .optional("ci", INTERVALS)
            .optional("bootstrap", BootstrapSummary.rules("joint_alpha_N", "joint_alpha_D", "joint_N_c",
                    "joint_D_c"));
}
