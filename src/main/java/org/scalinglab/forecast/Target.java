package org.scalinglab.forecast;

import org.scalinglab.text.Numbers;

/**
 * What a forecast is asked for. Either a free target, which the law's compute-optimal allocation answers:
 * a compute C (in the law's convention), hardware FLOPs (k GPUs for t days, counted as hardware runs them),
 * a target loss, or a token count D (the compute-optimal model for D tokens); or a fixed model: N with D,
 * a compute, hardware FLOPs or a target loss.
 *
 * @param description the target in words, for the output
 */
public record Target(Double params, Double tokens, Double compute, Double hardwareFlops, Double loss,
        String description) {

    public static Target compute(double c) {
        return new Target(null, null, c, null, null, "compute C = " + Numbers.sig4(c));
    }

    public static Target loss(double l) {
        return new Target(null, null, null, null, l, "target loss " + l);
    }

    public static Target tokens(double d) {
        return new Target(null, d, null, null, null, "the compute-optimal model for D = " + Numbers.sig4(d) + " tokens");
    }

    public static Target hardware(double flops, String what) {
        return new Target(null, null, null, flops, null, what);
    }

    /** N fixed, with exactly one of tokens, compute, hardware FLOPs or a target loss. */
    public static Target model(double n, Double tokens, Double compute, Double hardwareFlops, Double loss, String what) {
        return new Target(n, tokens, compute, hardwareFlops, loss, "N = " + Numbers.sig4(n) + (what == null ? "" : ", " + what));
    }

    /** The model is given (N), so modifiers compare against it rather than re-size it. */
    public boolean fixedModel() {
        return params != null;
    }
}
