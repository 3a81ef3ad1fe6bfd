package org.scalinglab.train;

import ai.djl.Device;
import java.time.Instant;
import java.util.Locale;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.RunConfig;
import org.scalinglab.data.TokenData;
import org.scalinglab.engine.TorchRuntime;
import org.scalinglab.io.Json;
import org.scalinglab.train.runfolder.RunRecords;
import org.scalinglab.train.runfolder.RunRecords.RunResult;
import org.scalinglab.train.runfolder.RunStatus;

/** A run that libtorch failed: the failed result its folder records, and the error the command reports. */
final class EngineFailure {
    private EngineFailure() {}

    /** The result of a run that failed before it trained a step to the end: no tokens, no loss. */
    static RunResult result(RunConfig config, RunPlan plan, TokenData data, Device device, Exception e) {
        return new RunResult(config.id(), RunStatus.FAILED, Json.firstLine(e.getMessage()),
                new RunResult.Trained(plan.params(), 0, 0, 0),
                new RunResult.Compute(new RunRecords.FlopCounts(0.0, 0.0, 0.0), plan.flopsPerToken(),
                        config.train().flops()),
                new RunResult.Losses(null, null, 0, null, null), new RunResult.Speed(0, 0, null, null),
                new RunResult.Setup(RunRecords.ModelInfo.of(plan.shape()),
                        TorchRuntime.name(config.train().precision()), Trainer.deviceName(device), data.sha256(), null,
                        null),
                0, Instant.now().toString(), new RunResult.Evaluations(null, null, null));
    }

    /** The engine error, with a hint on memory when libtorch ran out of it. */
    static ScalingLabException error(RunConfig config, Exception e) {
        return new ScalingLabException(ExitCode.ENGINE, "run " + config.id() + " failed in libtorch: "
                + Json.firstLine(e.getMessage()), outOfMemory(e) ? "use a smaller batch_size with grad_accum, "
                + "or fewer runs per GPU" : "rerun with --verbose for the stack trace", e);
    }

    private static boolean outOfMemory(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c.getMessage() != null && c.getMessage().toLowerCase(Locale.ROOT).contains("out of memory")) {
                return true;
            }
        }
        return false;
    }
}
