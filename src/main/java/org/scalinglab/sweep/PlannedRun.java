package org.scalinglab.sweep;

import java.util.List;
import org.scalinglab.config.RunConfig;
import org.scalinglab.train.RunPlan;

/**
 * One run of a sweep: its resolved config (whose hash is its id and names its folder), what that
 * config implies (shape, N in three conventions, D, C in two, D/N), and its place in the design.
 *
 * @param label a short name for tables, e.g. {@code L2-d32-h2 C=1e12}
 * @param budget the IsoFLOP budget (the config's train.flops), or null
 * @param branch for a WSD cooldown: the run whose checkpoint it starts from, and that checkpoint's step
 * @param keepCheckpointsAt for a WSD trunk: the steps whose checkpoints its branches start from
 * @param epochs passes over the training split that its tokens make
 */
public record PlannedRun(String id, String label, RunConfig config, RunPlan plan, Double budget, Branch branch,
        List<Long> keepCheckpointsAt, double epochs) {

    /** A cooldown that starts from {@code trunk}'s checkpoint at {@code step}. */
    public record Branch(String trunk, long step) {}

    public double flops() {
        return plan.flopsPerToken().get(config.train().flopsConvention()) * plan.tokens();
    }
}
