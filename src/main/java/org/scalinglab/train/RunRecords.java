package org.scalinglab.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.scalinglab.config.RunConfig;
import org.scalinglab.io.Json;
import org.scalinglab.model.Flops;
import org.scalinglab.model.GptShape;
import org.scalinglab.model.ParameterCounts;

/**
 * The records of a run folder, the unit of truth: {@code run.json} written before training,
 * {@code metrics.csv} rows while it trains, {@code result.json} written atomically at the end.
 */
public final class RunRecords {
    public static final String RUN_JSON = "run.json";
    public static final String RESULT_JSON = "result.json";
    public static final String METRICS_CSV = "metrics.csv";
    /** The run folder's lock: whoever trains the run holds it (see FolderLock). */
    public static final String LOCK = ".lock";

    private RunRecords() {}

    /** Training FLOPs in every convention (chinchilla_a4 is 0 in records written before it existed). */
    public record FlopCounts(double kaplan, double chinchilla, double chinchillaA4) {}

    /** What the config implies, before training. */
    public record Derived(ParameterCounts params, Flops.PerToken flopsPerToken, long steps, long tokensPerStep,
            long tokens, FlopCounts flops, long paramsUsed, double tokensPerParam, long warmupSteps,
            Double budget) {
        static Derived of(RunPlan plan, RunConfig config) {
            return new Derived(plan.params(), plan.flopsPerToken(), plan.steps(), plan.tokensPerStep(),
                    plan.tokens(), new FlopCounts(plan.flopsKaplan(), plan.flopsChinchilla(), plan.flopsChinchillaA4()), plan.paramsUsed(),
                    plan.tokensPerParam(), plan.warmupSteps(), config.train().flops());
        }
    }

    /** run.json. */
    public record RunInfo(String runId, RunConfig config, Derived derived, Map<String, Object> data,
            Map<String, Object> provenance, String startedAt) {}

    /** The shape and vocabulary of the trained model, as result.json reports it. */
    public record ModelInfo(int vocabSize, int context, int dModel, int layers, int heads, int mlpRatio) {
        static ModelInfo of(GptShape s) {
            return new ModelInfo(s.vocab(), s.context(), s.dModel(), s.layers(), s.heads(), s.mlpRatio());
        }
    }

    /**
     * result.json: how the run ended and the numbers a fit reads.
     *
     * @param status {@code completed} or {@code diverged}
     * @param budget the IsoFLOP budget (the config's train.flops) when the run was given one
     * @param finalValLoss validation loss at the last step (the loss a fit uses); null when diverged
     * @param finalValLossSe its standard error over the validation windows
     * @param valTokens validation tokens (target positions) of that evaluation
     * @param finalTrainLoss mean training loss over the last metrics row's steps
     * @param epochs passes over the training split
     * @param skippedSteps float16 steps skipped for overflowing gradients
     * @param finalMetrics the other validation metrics of the last evaluation, named as metrics.csv's columns
     *     (each with its {@code _se}); null when diverged
     * @param evalSeconds wall seconds of all evaluations (included in wallSeconds, not in trainSeconds)
     * @param decodeSeconds the part of them spent decoding greedy continuations
     */
    public record RunResult(String runId, String status, String message, ParameterCounts params, long tokens,
            long steps, double epochs, FlopCounts flops, Flops.PerToken flopsPerToken, Double budget,
            Double finalValLoss, Double finalValLossSe, long valTokens, Double finalTrainLoss, Double bestValLoss, double wallSeconds, double trainSeconds,
            Double tokensPerS, Double mfu, ModelInfo model, String precision, String device, String dataSha256,
            Double entropyRate, long skippedSteps, String finishedAt, Map<String, Double> finalMetrics,
            Double evalSeconds, Double decodeSeconds) {

        public boolean completed() {
            return "completed".equals(status);
        }
    }

    public static void writeRunInfo(Path runDir, RunInfo info) {
        Json.writeAtomically(runDir.resolve(RUN_JSON), info);
    }

    public static void writeResult(Path runDir, RunResult result) {
        Json.writeAtomically(runDir.resolve(RESULT_JSON), result);
    }

    public static RunResult readResult(Path runDir) {
        return Json.read(runDir.resolve(RESULT_JSON), RunResult.class);
    }

    public static boolean hasResult(Path runDir) {
        return Files.isRegularFile(runDir.resolve(RESULT_JSON));
    }
}
