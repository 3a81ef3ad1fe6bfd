package org.scalinglab.sweep;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.StrictYaml;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.law.Laws;

/**
 * A sweep, fully resolved: every key of {@code sweep-defaults.yaml} has a value. Built by
 * {@link #load} or {@link #resolve}, which bind strictly (unknown keys and wrong types name their
 * key path) and check ranges; the base run config is checked when the design resolves each run.
 */
public record SweepConfig(String name, @JsonProperty("extends") String extendsFile, String resultsDir, ObjectNode base,
        LadderConfig ladder, DesignConfig design, TuneConfig tune, CheckConfig check, ExecutorConfig executor,
        EstimateConfig estimate, SlurmConfig slurm) {

    /** The model shapes: explicit, or generated from depth. */
    public record LadderConfig(List<ShapeSpec> shapes, LadderRule rule) {}

    /** One explicit shape; {@code mlpRatio} null takes base.model.mlp_ratio. */
    public record ShapeSpec(int layers, int dModel, int heads, Integer mlpRatio) {}

    /** d_model = width_per_layer x depth, heads = d_model / head_dim. */
    public record LadderRule(List<Integer> depths, int widthPerLayer, int headDim) {}

    public enum DesignKind {
        ISOFLOP, GRID, WSD
    }

    public record DesignConfig(DesignKind kind, List<Double> budgets, int sizesPerBudget, double spread,
            double optimumTokensPerParam, List<Double> tokens, List<Double> tokensPerParam, int seeds,
            int minSteps, double minTokensPerParam, int minSizes, double maxEpochs) {}

    /**
     * Learning-rate tuning: sizes x lrs at small IsoFLOP budgets; on when {@code lrs} is not empty.
     * {@code microBatches} k splits each tune run's batch in k micro-batches, from which it measures the
     * gradient noise scale (which needs grad_accum >= 2) without training the design in smaller ones.
     */
    public record TuneConfig(List<Double> lrs, List<Double> budgets, int sizesPerBudget, int microBatches) {
        public boolean enabled() {
            return !lrs.isEmpty();
        }
    }

    /**
     * The check stage: an IsoFLOP budget at compute_factor x the largest design budget; on when > 0. Its
     * sizes are centred on the fitted N_opt, or fixed by {@code depths} (a ground truth that is the same
     * runs for every design and seed, with {@code seed} fixing their seed apart from base.seed).
     */
    public record CheckConfig(double computeFactor, int sizes, double spread, String approach,
            Integer finalEvalBatches, List<Integer> depths, Integer seed) {
        public boolean enabled() {
            return computeFactor > 0;
        }

        /** Whether the check trains fixed ladder depths rather than sizes around the fitted N_opt. */
        public boolean fixedShapes() {
            return depths != null && !depths.isEmpty();
        }
    }

    public enum ExecutorKind {
        LOCAL, SLURM
    }

    /** {@code runsPerDevice}: null, an integer, or the text {@code auto}. */
    public record ExecutorConfig(ExecutorKind kind, String devices, JsonNode runsPerDevice, int threadsPerRun,
            List<String> jvmOptions) {

        /** Runs at once per device as configured; 0 when unset, -1 for auto. */
        public int runsPerDeviceSetting() {
            if (runsPerDevice == null || runsPerDevice.isNull()) {
                return 0;
            }
            if (runsPerDevice.isTextual() && runsPerDevice.asText().equalsIgnoreCase("auto")) {
                return -1;
            }
            return runsPerDevice.asInt();
        }
    }

    public record EstimateConfig(int probeSteps, Double flopsPerSecond, double stepSeconds) {}

    public record SlurmConfig(String partition, String account, String timeLimit, int gpusPerTask, int cpusPerTask,
            String mem, int maxParallel, int pollSeconds, List<String> extra) {}

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern DEVICES = Pattern.compile("auto|cpu|gpu|gpu:\\d+(,gpu:\\d+)*");
    private static final Pattern TIME = Pattern.compile("(\\d+-)?\\d+(:\\d\\d){0,2}");
    // the slurm: values become #SBATCH lines of a script bash runs: only what Slurm's names and sizes use
    private static final Pattern PARTITION = Pattern.compile("[A-Za-z0-9_.+-]+(,[A-Za-z0-9_.+-]+)*");
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9_.@+-]+");
    private static final Pattern MEM = Pattern.compile("\\d+([KMGT]B?)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern SBATCH_OPTION = Pattern.compile("--[A-Za-z][A-Za-z0-9-]*(=.*)?");

    /** Reads a sweep file; its stem names the sweep when the file sets no name. */
    public static SweepConfig load(Path file, List<String> overrides) {
        ObjectNode user = withExtends(file, new java.util.ArrayList<>());
        if (!user.has("name")) {
            String n = file.getFileName().toString();
            int dot = n.lastIndexOf('.');
            user.put("name", dot > 0 ? n.substring(0, dot) : n);
        }
        return resolve(user, overrides);
    }

    /** The file's keys over those of the file it extends (and so on), each path relative to its file. */
    private static ObjectNode withExtends(Path file, List<Path> seen) {
        Path real = file.toAbsolutePath().normalize();
        if (seen.contains(real)) {
            throw ScalingLabException.config("sweep config " + file + " extends itself (through " + seen + ")",
                    "remove the cycle of 'extends' keys");
        }
        seen.add(real);
        ObjectNode own = StrictYaml.readFile(file);
        StrictYaml.requireConfig(own, StrictYaml.readResource(SweepConfig.class, "sweep-defaults.yaml"), file,
                seen.size() == 1 ? "a sweep config" : "a sweep config (" + seen.get(seen.size() - 2).getFileName()
                        + " extends it)");
        JsonNode parent = own.remove("extends");
        if (parent == null || parent.isNull()) {
            return own;
        }
        if (!parent.isTextual() || parent.asText().isBlank()) {
            throw ScalingLabException.config("sweep config key 'extends' in " + file + " must be a file path", null);
        }
        Path base = real.getParent().resolve(parent.asText());
        ObjectNode merged = withExtends(base, seen);
        merged.remove("name"); // a sweep's name is its own (or its file's stem)
        return StrictYaml.merge(merged, own);
    }

    /** Defaults, then {@code partial}, then {@code key.path=value} overrides; bound and checked. */
    public static SweepConfig resolve(JsonNode partial, List<String> overrides) {
        ObjectNode tree = StrictYaml.readResource(SweepConfig.class, "sweep-defaults.yaml");
        StrictYaml.merge(tree, partial.deepCopy());
        StrictYaml.applyOverrides(tree, overrides);
        fillShapeDefaults(tree);
        SweepConfig c = StrictYaml.bind(tree, SweepConfig.class, "");
        c.validate();
        return c;
    }

    /** A list's items get no defaults from the merge: an explicit shape may leave out mlp_ratio. */
    private static void fillShapeDefaults(ObjectNode tree) {
        JsonNode shapes = tree.path("ladder").path("shapes");
        if (shapes instanceof ArrayNode list) {
            for (JsonNode s : list) {
                if (s instanceof ObjectNode o && !o.has("mlp_ratio")) {
                    o.putNull("mlp_ratio");
                }
            }
        }
    }

    private void validate() {
        require(name != null && NAME.matcher(name).matches(), "name",
                "must be letters, digits, '.', '_' or '-' (it names a folder)");
        require(resultsDir != null && !resultsDir.isBlank(), "results_dir", "is required");
        require(base != null, "base", "must be a mapping of run config keys");
        validateLadder();
        validateDesign();
        ExecutorConfig e = executor;
        require(e.kind() != null, "executor.kind", "is required");
        require(e.devices() == null || DEVICES.matcher(e.devices().replace(" ", "").toLowerCase(Locale.ROOT)).matches(),
                "executor.devices", "must be auto, cpu, gpu or a list such as gpu:0,gpu:1");
        JsonNode rpd = e.runsPerDevice();
        require(rpd == null || rpd.isNull() || rpd.isIntegralNumber() && rpd.asLong() >= 1 && rpd.asLong() <= 64
                || rpd.isTextual() && rpd.asText().equalsIgnoreCase("auto"), "executor.runs_per_device",
                "must be an integer in [1, 64], auto, or null");
        require(e.threadsPerRun() >= 0, "executor.threads_per_run", "must be >= 0 (0 = cores / runs at once)");
        require(e.jvmOptions() != null, "executor.jvm_options", "must be a list");
        require(estimate.probeSteps() >= 10, "estimate.probe_steps", "must be >= 10");
        require(estimate.flopsPerSecond() == null || estimate.flopsPerSecond() > 0, "estimate.flops_per_second",
                "must be > 0, or null");
        require(estimate.stepSeconds() >= 0, "estimate.step_seconds", "must be >= 0");
        SlurmConfig s = slurm;
        require(s.timeLimit() != null && TIME.matcher(s.timeLimit()).matches(), "slurm.time_limit",
                "must be a Slurm time such as 30, 01:00:00 or 1-12:00:00");
        require(s.gpusPerTask() >= 0, "slurm.gpus_per_task", "must be >= 0");
        require(s.cpusPerTask() >= 1, "slurm.cpus_per_task", "must be >= 1");
        require(s.maxParallel() >= 0, "slurm.max_parallel", "must be >= 0 (0 = no limit)");
        require(s.pollSeconds() >= 1, "slurm.poll_seconds", "must be >= 1");
        require(s.partition() == null || PARTITION.matcher(s.partition()).matches(), "slurm.partition",
                "must be a partition name (letters, digits, '_', '.', '-'; ',' between several), or null");
        require(s.account() == null || ACCOUNT.matcher(s.account()).matches(), "slurm.account",
                "must be an account name (letters, digits, '_', '.', '@', '-'), or null");
        require(s.mem() == null || MEM.matcher(s.mem()).matches(), "slurm.mem",
                "must be a Slurm size such as 16G or 16000 (megabytes), or null");
        require(s.extra() != null, "slurm.extra", "must be a list of sbatch options such as --qos=short");
        for (int i = 0; i < s.extra().size(); i++) {
            String x = s.extra().get(i);
            require(x != null && SBATCH_OPTION.matcher(x).matches() && !StrictYaml.hasControlCharacter(x),
                    "slurm.extra[" + i + "]", "must be one sbatch option, --name or --name=value, such as --qos=short");
        }
    }

    private void validateLadder() {
        boolean explicit = !ladder.shapes().isEmpty();
        boolean rule = !ladder.rule().depths().isEmpty();
        if (explicit == rule) {
            throw ScalingLabException.config(explicit ? "the ladder is given twice: ladder.shapes and ladder.rule.depths"
                    : "the ladder is empty", "set either ladder.shapes (a list of {layers, d_model, heads}) or "
                            + "ladder.rule.depths (with width_per_layer and head_dim)");
        }
        for (int i = 0; i < ladder.shapes().size(); i++) {
            ShapeSpec s = ladder.shapes().get(i);
            String key = "ladder.shapes[" + i + "]";
            require(s.layers() >= 1, key + ".layers", "must be >= 1");
            require(s.dModel() >= 1, key + ".d_model", "must be >= 1");
            require(s.heads() >= 1 && s.dModel() % s.heads() == 0, key + ".heads",
                    "must be >= 1 and divide d_model (" + s.dModel() + ")");
            require(s.mlpRatio() == null || s.mlpRatio() >= 1, key + ".mlp_ratio", "must be >= 1");
        }
        LadderRule r = ladder.rule();
        if (rule) {
            for (int i = 0; i < r.depths().size(); i++) {
                require(r.depths().get(i) != null && r.depths().get(i) >= 1, "ladder.rule.depths[" + i + "]",
                        "must be >= 1");
            }
            require(r.widthPerLayer() >= 1, "ladder.rule.width_per_layer", "must be >= 1");
            require(r.headDim() >= 1, "ladder.rule.head_dim", "must be >= 1");
        }
    }

    private void validateDesign() {
        DesignConfig d = design;
        require(d.kind() != null, "design.kind", "is required");
        for (int i = 0; i < d.budgets().size(); i++) {
            require(d.budgets().get(i) != null && d.budgets().get(i) > 0, "design.budgets[" + i + "]", "must be > 0");
        }
        for (int i = 0; i < d.tokens().size(); i++) {
            require(d.tokens().get(i) != null && d.tokens().get(i) > 0, "design.tokens[" + i + "]", "must be > 0");
        }
        for (int i = 0; i < d.tokensPerParam().size(); i++) {
            require(d.tokensPerParam().get(i) != null && d.tokensPerParam().get(i) > 0,
                    "design.tokens_per_param[" + i + "]", "must be > 0");
        }
        require(d.seeds() >= 1, "design.seeds", "must be >= 1");
        require(d.maxEpochs() > 0, "design.max_epochs", "must be > 0");
        for (int i = 0; i < tune.lrs().size(); i++) {
            require(tune.lrs().get(i) != null && tune.lrs().get(i) > 0, "tune.lrs[" + i + "]", "must be > 0");
        }
        require(tune.lrs().isEmpty() || tune.lrs().size() >= 3, "tune.lrs", "must list at least 3 learning rates "
                + "(a parabola in ln lr finds each size's best), or none");
        for (int i = 0; i < tune.budgets().size(); i++) {
            require(tune.budgets().get(i) != null && tune.budgets().get(i) > 0, "tune.budgets[" + i + "]", "must be > 0");
        }
        require(tune.sizesPerBudget() >= 2, "tune.sizes_per_budget", "must be >= 2 (a rule in N needs two sizes)");
        require(tune.microBatches() >= 1, "tune.micro_batches", "must be >= 1");
        require(!tune.enabled() || d.kind() == DesignKind.ISOFLOP || !tune.budgets().isEmpty(), "tune.budgets",
                "must be given for a " + d.kind().name().toLowerCase(Locale.ROOT) + " design (it has no budgets)");
        require(check.computeFactor() >= 0, "check.compute_factor", "must be >= 0 (0 = no check)");
        require(!check.enabled() || d.kind() == DesignKind.ISOFLOP, "check.compute_factor",
                "needs an isoflop design (the check budget is a multiple of its largest budget)");
        require(check.sizes() >= 3, "check.sizes", "must be >= 3 (an IsoFLOP profile needs three sizes)");
        require(check.depths() != null, "check.depths", "must be a list of ladder depths (empty: sizes around N_opt)");
        require(!check.fixedShapes() || check.depths().size() >= 3 && check.depths().stream().distinct().count()
                == check.depths().size(), "check.depths", "must list at least 3 distinct ladder depths (an IsoFLOP "
                + "profile needs three sizes)");
        require(check.seed() == null || check.seed() >= 0, "check.seed", "must be >= 0, or null (base.seed)");
        require(check.spread() > 1, "check.spread", "must be > 1");
        require(check.approach() != null && List.of(Laws.RECOMMENDED, Approach.PARAMETRIC.option(), Approach.KAPLAN.option())
                .contains(check.approach()),
                "check.approach", "must be recommended, 3 or kaplan (the fit's recommended law, or a law with an L(N, D) "
                        + "to allocate under)");
        require(check.finalEvalBatches() == null || check.finalEvalBatches() >= 1, "check.final_eval_batches",
                "must be >= 1, or null for base.train.final_eval_batches");
        String kind = d.kind().name().toLowerCase(Locale.ROOT);
        if (d.kind() == DesignKind.ISOFLOP) {
            require(!d.budgets().isEmpty(), "design.budgets", "must list at least one compute budget for an isoflop design");
            require(d.tokens().isEmpty() && d.tokensPerParam().isEmpty(), "design.tokens",
                    "and design.tokens_per_param are not used by an isoflop design (each run's tokens follow from its budget)");
            require(d.sizesPerBudget() >= 1, "design.sizes_per_budget", "must be >= 1");
            require(d.spread() > 1, "design.spread", "must be > 1");
            require(d.optimumTokensPerParam() > 0, "design.optimum_tokens_per_param", "must be > 0");
            require(d.minSteps() >= 0, "design.min_steps", "must be >= 0");
            require(d.minSizes() >= 2, "design.min_sizes", "must be >= 2 (a budget's runs must differ in N)");
            require(d.minTokensPerParam() >= 0 && Double.isFinite(d.minTokensPerParam()),
                    "design.min_tokens_per_param", "must be a finite number >= 0");
        } else {
            require(d.budgets().isEmpty(), "design.budgets", "is only used by an isoflop design, not " + kind);
            if (d.tokens().isEmpty() == d.tokensPerParam().isEmpty()) {
                throw ScalingLabException.config("a " + kind + " design needs exactly one of design.tokens and "
                        + "design.tokens_per_param", "for example design.tokens: [1e6, 4e6]");
            }
        }
    }

    static void require(boolean ok, String key, String rule) {
        if (!ok) {
            throw ScalingLabException.config("sweep config key '" + key + "' " + rule, null);
        }
    }

    /** The sweep's folder: {@code <results_dir>/<name>}. */
    public Path folder() {
        return Path.of(resultsDir).resolve(name);
    }

    /**
     * The same sweep as a stage of its own inside this sweep's folder ({@code tune}, {@code check}):
     * its runs, sweep.json and runs.csv live in {@code <folder>/<stage>/}, apart from the design's, so
     * the fit of the design never reads them.
     */
    public SweepConfig stage(String stage) {
        return new SweepConfig(stage, null, folder().toString(), base, ladder, design, tune, check, executor, estimate,
                slurm);
    }
}
