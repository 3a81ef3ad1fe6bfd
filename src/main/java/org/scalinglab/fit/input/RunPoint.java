package org.scalinglab.fit.input;


/**
 * One measured run: parameters N, training tokens D, training FLOPs C, final loss, the IsoFLOP budget
 * it was assigned (NaN when none), its training curve (null when only the final loss is known) and the
 * standard error of its final loss over the validation windows (null when unknown).
 */
public record RunPoint(String id, double params, double tokens, double flops, double loss, double budget,
        TrainingCurve curve, Double lossSe) {

    public RunPoint(String id, double params, double tokens, double flops, double loss, double budget,
            TrainingCurve curve) {
        this(id, params, tokens, flops, loss, budget, curve, null);
    }

    public boolean hasBudget() {
        return Double.isFinite(budget);
    }
}
