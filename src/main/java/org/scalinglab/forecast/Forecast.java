package org.scalinglab.forecast;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * The plan {@code scalinglab forecast} prints: what to train (N, D, a shape), what it reaches (the loss and
 * its bootstrap interval), and what it costs (FLOPs, GPU-hours, days, money, memory per GPU); sections for
 * over-training, inference demand and repeated data when asked. Sections that do not apply are absent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schema", "law", "inputs", "target", "N", "D", "tokens_per_param", "loss", "loss_ci", "compute",
    "compute_convention", "flops_6nd", "flops_hardware", "flops_hardware_convention", "ci", "ci_samples",
    "ci_level", "hardware", "gpu_hours", "wall_days", "cost", "memory_gib_per_gpu", "fits_gpu", "memory", "shape",
    "extrapolation", "max_fitted_flops", "training", "over_training", "inference", "data", "notes"})
public record Forecast(
        String schema,
        LawInfo law,
        Map<String, Object> inputs,
        String target,
        @JsonProperty("N") double n,
        @JsonProperty("D") double d,
        double tokensPerParam,
        double loss,
        double[] lossCi,
        double compute,
        String computeConvention,
        @JsonProperty("flops_6nd") double flops6nd,
        double flopsHardware,
        String flopsHardwareConvention,
        Map<String, double[]> ci,
        Integer ciSamples,
        Double ciLevel,
        Hardware hardware,
        double gpuHours,
        double wallDays,
        Double cost,
        double memoryGibPerGpu,
        boolean fitsGpu,
        MemoryPlan memory,
        ShapeRule.Shape shape,
        double extrapolation,
        double maxFittedFlops,
        OverTraining overTraining,
        Inference inference,
        DataLimit data,
        List<String> notes,
        TrainingSettings training) {

    /** As the plan, with suggested training settings ({@link TrainingSettings}). */
    public Forecast withTraining(TrainingSettings t) {
        return new Forecast(schema, law, inputs, target, n, d, tokensPerParam, loss, lossCi, compute, computeConvention,
                flops6nd, flopsHardware, flopsHardwareConvention, ci, ciSamples, ciLevel, hardware, gpuHours, wallDays,
                cost, memoryGibPerGpu, fitsGpu, memory, shape, extrapolation, maxFittedFlops, overTraining, inference,
                data, notes, t);
    }

    public static final String SCHEMA = "scalinglab.forecast/1";

    /** The law: its name, what it is, its conventions and what a budget means to it. */
    @JsonPropertyOrder({"name", "description", "param_convention", "flop_convention", "allocation", "irreducible",
        "bootstrap_samples", "fitted_range"})
    public record LawInfo(String name, String description, String paramConvention, String flopConvention,
            String allocation, double irreducible, int bootstrapSamples, String fittedRange) {}

    /** A point of the (N, D) plane: its compute in the law's convention and its loss. */
    @JsonPropertyOrder({"N", "D", "tokens_per_param", "compute", "loss"})
    public record Point(@JsonProperty("N") double n, @JsonProperty("D") double d, double tokensPerParam,
            double compute, double loss) {
        static Point of(double n, double d, double c, double loss) {
            return new Point(n, d, d / n, c, loss);
        }
    }

    /**
     * A fixed model against the compute-optimal ones: the compute a compute-optimal model needs for the same
     * loss (and the overhead factor, compute / that), and the loss a compute-optimal model reaches with the
     * same compute (and the gap).
     */
    @JsonPropertyOrder({"compute", "loss", "compute_optimal_same_loss", "overhead", "compute_optimal_same_compute",
        "loss_gap"})
    public record OverTraining(double compute, double loss, Point computeOptimalSameLoss, double overhead,
            Point computeOptimalSameCompute, double lossGap) {}

    /** Training and inference FLOPs of one allocation. */
    @JsonPropertyOrder({"N", "D", "tokens_per_param", "training_flops", "inference_flops", "total_flops"})
    public record Lifetime(@JsonProperty("N") double n, @JsonProperty("D") double d, double tokensPerParam,
            double trainingFlops, double inferenceFlops, double totalFlops) {}

    /**
     * Inference demand (Sardana et al. 2023): at the plan's loss, the compute-optimal allocation and the one
     * that minimises training plus inference FLOPs; {@code plan} the given model, when it was fixed.
     */
    @JsonPropertyOrder({"inference_tokens", "loss", "convention", "plan", "compute_optimal", "inference_optimal",
        "saving"})
    public record Inference(double inferenceTokens, double loss, String convention, Lifetime plan,
            Lifetime computeOptimal, Lifetime inferenceOptimal, double saving) {}

    /**
     * Repeated data (Muennighoff et al. 2023): the plan's epochs over the unique tokens, the fresh tokens they
     * are worth, the loss the repetition costs this model (against the same N and D of fresh data), and the
     * same target with unlimited data.
     */
    @JsonPropertyOrder({"unique_tokens", "r_star", "epochs", "effective_tokens", "loss_fresh_data",
        "loss_lost_to_repetition", "unlimited_data", "loss_lost_vs_unlimited", "compute_overhead_vs_unlimited"})
    public record DataLimit(double uniqueTokens, double rStar, double epochs, double effectiveTokens,
            double lossFreshData, double lossLostToRepetition, Point unlimitedData, double lossLostVsUnlimited,
            double computeOverheadVsUnlimited) {}
}
