package org.scalinglab.train;

import org.scalinglab.config.RunConfig;
import org.scalinglab.train.runfolder.MetricsRow;
import org.scalinglab.train.runfolder.RunRecords;

/** What a trainer tells its caller as it goes: the console, or a sweep's progress display. */
public interface TrainingListener {
    /** Before the first step; {@code resumedAt} is the checkpoint's step, or 0 for a fresh run. */
    default void started(RunConfig config, RunPlan plan, String data, String device, long resumedAt) {}

    default void row(MetricsRow row, RunPlan plan) {}

    default void finished(RunRecords.RunResult result) {}

    TrainingListener SILENT = new TrainingListener() {};
}
