package org.scalinglab.sweep;

import java.util.List;
import java.util.Optional;
import org.scalinglab.config.RunConfig;

/**
 * The runs a sweep config implies, in design order, with notes on how the design chose them
 * (for IsoFLOP: each budget's expected optimum).
 *
 * @param base the base run config resolved with a placeholder shape and length (its data, batch and
 *     conventions are those of every run)
 * @param trainTokens tokens in the data's training split (the runs' epochs are their D over this)
 */
public record SweepPlan(SweepConfig sweep, ModelLadder ladder, RunConfig base, List<PlannedRun> runs,
        List<String> notes, long trainTokens) {

    public Optional<PlannedRun> run(String id) {
        return runs.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    public List<String> ids() {
        return runs.stream().map(PlannedRun::id).toList();
    }
}
