package org.scalinglab.fit.approach;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.scalinglab.fit.optim.OptimizerDiagnostics;

/**
 * Kaplan et al. (2020) eq. 1.5: L(N, D) = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D. Under C = 6ND the
 * bracket is minimised in closed form: with r = alpha_N/alpha_D,
 * N_opt = (r N_c^r C / (6 D_c))^(1/(1+r)), so N_opt grows as C^(alpha_D/(alpha_N+alpha_D)).
 */
@JsonPropertyOrder({"alpha_N", "alpha_D", "N_c", "D_c", "objective", "diagnostics"})
public record KaplanJointLaw(
        @JsonProperty("alpha_N") double alphaN,
        @JsonProperty("alpha_D") double alphaD,
        @JsonProperty("N_c") double nC,
        @JsonProperty("D_c") double dC,
        double objective,
        OptimizerDiagnostics diagnostics) {

    public double loss(double n, double d) {
        return Math.pow(Math.pow(nC / n, alphaN / alphaD) + dC / d, alphaD);
    }

    public double optimalParams(double c) {
        double r = alphaN / alphaD;
        return Math.exp((Math.log(r) + r * Math.log(nC) + Math.log(c / 6) - Math.log(dC)) / (1 + r));
    }

    public double optimalTokens(double c) {
        return c / (6 * optimalParams(c));
    }

    /** Optimiser coordinates (alpha_D, r = alpha_N/alpha_D, ln N_c, ln D_c). */
    static KaplanJointLaw fromParameters(double[] p, double objective, OptimizerDiagnostics diag) {
        return new KaplanJointLaw(p[0] * p[1], p[0], Math.exp(p[2]), Math.exp(p[3]), objective, diag);
    }
}
