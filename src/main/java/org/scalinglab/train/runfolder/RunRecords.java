package org.scalinglab.train.runfolder;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Map;
import java.util.Objects;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.RunConfig;
import org.scalinglab.io.Json;
import org.scalinglab.io.UnwrappedRecordReader;
import org.scalinglab.model.Flops;
import org.scalinglab.model.GptShape;
import org.scalinglab.model.ParameterCounts;

/**
 * What run.json and result.json hold, as records ({@link RunFolder} reads and writes them). Each file
 * starts with its {@code schema_version}; files written before there was one have none and are
 * version 1, the same keys as version 1 less that one. run.json's {@code metrics_schema_version} is
 * the version of the folder's metrics.csv, which cannot carry one itself and stay a plain CSV.
 */
public final class RunRecords {
    /** The version of run.json and result.json this code writes. */
    public static final int SCHEMA_VERSION = 1;
    /**
     * The version of metrics.csv this code writes: the columns of {@link MetricsRow}. 2 added the metrics
     * beyond the loss, the evaluation's seconds and the noise scale after {@code elapsed_s}.
     */
    public static final int METRICS_SCHEMA_VERSION = 2;

    private RunRecords() {}

    /** A file's version: its {@code schema_version}, 1 where it has none (written before it existed). */
    static int version(Integer recorded) {
        return recorded == null ? 1 : recorded;
    }

    /** Training FLOPs in every convention (chinchilla_a4 is null in records written before it existed). */
    public record FlopCounts(Double kaplan, Double chinchilla, Double chinchillaA4) {
        /** The count under a convention; null where not recorded. */
        public Double get(FlopConvention convention) {
            return switch (convention) {
                case KAPLAN -> kaplan;
                case CHINCHILLA -> chinchilla;
                case CHINCHILLA_A4 -> chinchillaA4;
            };
        }
    }

    /** N under its key in the files (total, non_embedding, non_embedding_with_head); null where not recorded. */
    public static Double params(ParameterCounts p, String key) {
        if (p == null) {
            return null;
        }
        return switch (key) {
            case "total" -> (double) p.total();
            case "non_embedding" -> (double) p.nonEmbedding();
            case "non_embedding_with_head" -> (double) p.nonEmbeddingWithHead();
            default -> null;
        };
    }

    /** FLOPs per token under a convention; null where not recorded (0: chinchilla_a4 before it existed). */
    public static Double perToken(Flops.PerToken p, FlopConvention convention) {
        if (p == null) {
            return null;
        }
        double v = p.get(convention);
        return v > 0 ? v : null;
    }

    /** What the config implies, before training. */
    public record Derived(ParameterCounts params, Flops.PerToken flopsPerToken, long steps, long tokensPerStep,
            long tokens, FlopCounts flops, long paramsUsed, double tokensPerParam, long warmupSteps,
            Double budget) {}

    /**
     * run.json, written before training.
     *
     * @param config the resolved run config, as a tree: read back leniently, so that a folder written by
     *     another version, whose config has other keys, still reads
     * @param metricsSchemaVersion the version of the folder's metrics.csv (null before it was recorded: 1)
     */
    public record RunInfo(Integer schemaVersion, Integer metricsSchemaVersion, String runId, JsonNode config,
            Derived derived, Map<String, Object> data, Map<String, Object> provenance, String startedAt) {

        public static RunInfo of(RunConfig config, Derived derived, Map<String, Object> data,
                Map<String, Object> provenance, String startedAt) {
            return new RunInfo(SCHEMA_VERSION, METRICS_SCHEMA_VERSION, config.id(), Json.mapper().valueToTree(config),
                    derived, data, provenance, startedAt);
        }

        public int version() {
            return RunRecords.version(schemaVersion);
        }

        public int metricsVersion() {
            return RunRecords.version(metricsSchemaVersion);
        }

        /** The config's {@code model} section (missing node when there is none). */
        public JsonNode configModel() {
            return config == null ? MissingNode.getInstance() : config.path("model");
        }
    }

    /** The shape and vocabulary of the trained model, as result.json reports it. */
    public record ModelInfo(int vocabSize, int context, int dModel, int layers, int heads, int mlpRatio) {
        public static ModelInfo of(GptShape s) {
            return new ModelInfo(s.vocab(), s.context(), s.dModel(), s.layers(), s.heads(), s.mlpRatio());
        }
    }

    /**
     * result.json: how the run ended and the numbers a fit reads; written atomically at the end. The
     * groups are written unwrapped, their keys in the one flat object in this order.
     *
     * @param status completed, diverged or failed
     * @param skippedSteps float16 steps skipped for overflowing gradients
     */
    @JsonDeserialize(using = RunResult.Reader.class)
    public record RunResult(Integer schemaVersion, String runId, RunStatus status, String message,
            @JsonUnwrapped Trained trained, @JsonUnwrapped Compute compute, @JsonUnwrapped Losses losses,
            @JsonUnwrapped Speed speed, @JsonUnwrapped Setup setup, long skippedSteps, String finishedAt,
            @JsonUnwrapped Evaluations evaluations) {

        public RunResult {
            // an absent group would drop its keys from the file
            Objects.requireNonNull(trained, "trained");
            Objects.requireNonNull(compute, "compute");
            Objects.requireNonNull(losses, "losses");
            Objects.requireNonNull(speed, "speed");
            Objects.requireNonNull(setup, "setup");
            Objects.requireNonNull(evaluations, "evaluations");
        }

        /** A result in this version's schema. */
        public RunResult(String runId, RunStatus status, String message, Trained trained, Compute compute,
                Losses losses, Speed speed, Setup setup, long skippedSteps, String finishedAt,
                Evaluations evaluations) {
            this(SCHEMA_VERSION, runId, status, message, trained, compute, losses, speed, setup, skippedSteps,
                    finishedAt, evaluations);
        }

        /**
         * How much was trained.
         *
         * @param epochs passes over the training split
         */
        public record Trained(ParameterCounts params, long tokens, long steps, double epochs) {}

        /**
         * The training compute.
         *
         * @param budget the IsoFLOP budget (the config's train.flops) when the run was given one
         */
        public record Compute(FlopCounts flops, Flops.PerToken flopsPerToken, Double budget) {}

        /**
         * The losses.
         *
         * @param finalValLoss validation loss at the last step (the loss a fit uses); null when diverged
         * @param finalValLossSe its standard error over the validation windows
         * @param valTokens validation tokens (target positions) of that evaluation
         * @param finalTrainLoss mean training loss over the last metrics row's steps
         */
        public record Losses(Double finalValLoss, Double finalValLossSe, long valTokens, Double finalTrainLoss,
                Double bestValLoss) {}

        /**
         * Time and throughput.
         *
         * @param trainSeconds seconds spent training steps (evaluations and checkpoints excluded)
         * @param tokensPerS training tokens per second of {@code trainSeconds}
         * @param mfu model FLOPs utilisation (PaLM's count); null off a GPU of known peak
         */
        public record Speed(double wallSeconds, double trainSeconds, Double tokensPerS, Double mfu) {}

        /**
         * What was trained, how and on what.
         *
         * @param entropyRate the markov source's exact entropy rate; null for real data
         * @param lossFloor the lowest mean loss any model reaches on this run's windows (markov only): the
         *     irreducible loss a fit of these runs should find
         */
        public record Setup(ModelInfo model, String precision, String device, String dataSha256,
                Double entropyRate, Double lossFloor) {}

        /**
         * The evaluations beyond the loss, and their cost.
         *
         * @param finalMetrics the other validation metrics of the last evaluation, named as metrics.csv's
         *     columns (each with its {@code _se}); null when diverged or written before they were measured
         * @param evalSeconds wall seconds of all evaluations (included in wallSeconds, not in trainSeconds)
         * @param decodeSeconds the part of them spent decoding greedy continuations
         */
        public record Evaluations(Map<String, Double> finalMetrics, Double evalSeconds, Double decodeSeconds) {}

        /** Reads the groups back from the flat object. */
        static final class Reader extends UnwrappedRecordReader<RunResult> {
            private static final long serialVersionUID = 1L;

            Reader() {
                super(RunResult.class);
            }
        }

        /** UNKNOWN when the file has no status. */
        @Override
        public RunStatus status() {
            return status == null ? RunStatus.UNKNOWN : status;
        }

        public String message() {
            return message == null ? "" : message;
        }

        public int version() {
            return RunRecords.version(schemaVersion);
        }

        public boolean completed() {
            return status() == RunStatus.COMPLETED;
        }
    }
}
