package org.scalinglab.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.DoubleUnaryOperator;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.ConfigLoader;
import org.scalinglab.config.DataConfig;
import org.scalinglab.config.ModelConfig;
import org.scalinglab.config.RunConfig;
import org.scalinglab.config.TrainConfig;
import org.scalinglab.data.TokenData;
import org.scalinglab.model.Flops;
import org.scalinglab.model.GptShape;
import org.scalinglab.sweep.SweepConfig.DesignConfig;
import org.scalinglab.text.Numbers;
import org.scalinglab.train.LrSchedule;
import org.scalinglab.train.RunPlan;

/**
 * Turns a sweep config into its runs. Each run is the base config with a ladder shape and a length:
 * <ul>
 *   <li>grid: every shape at every token count (or tokens-per-parameter ratio);
 *   <li>isoflop: per budget C, the expected optimum N* solves C = F(N) x r x N over the ladder, with
 *       F the real FLOPs per token of each shape and r = optimum_tokens_per_param; then the k distinct
 *       ladder shapes nearest in log N to N* x spread^j, j = -(k-1)/2 .. (k-1)/2. Each run gets
 *       train.flops = C, so its tokens follow from its own FLOPs per token;
 *   <li>wsd: per shape one warmup-stable-decay run to the largest token count (the trunk), and per
 *       smaller token count a run that starts from the trunk's checkpoint where its own cooldown
 *       begins. Every run shares one warmup, so up to that step a branch is the trunk exactly.
 * </ul>
 * Two stages of a study are planned here too: the learning-rate tuning grid ({@link #tuning}) and the
 * check budget beyond the design ({@link #check}). With a learning-rate rule every run's
 * train.optimizer.lr is the rule's value at its N; with {@code design.seeds} k each design point is k
 * runs with seeds base.seed + 0 .. k - 1.
 *
 * <p>Impossible plans are refused with the reason: too few tokens for one batch, a run that would pass
 * over the training data more than design.max_epochs times, too few ladder shapes around a budget's
 * optimum or an optimum outside the ladder, a run listed twice.
 */
public final class SweepDesign {
    private static final List<String> SET_BY_LADDER = List.of("d_model", "layers", "heads");
    private static final List<String> SET_BY_DESIGN = List.of("steps", "tokens", "flops", "tokens_per_param");
    /** Training tokens of each data config opened in this process (opening the embedded corpus takes a second). */
    private static final Map<DataConfig, Long> TRAIN_TOKENS = new ConcurrentHashMap<>();

    private SweepDesign() {}

    /** The design's runs with base.train.optimizer.lr for every run. */
    public static SweepPlan plan(SweepConfig sweep) {
        return plan(sweep, null);
    }

    /**
     * The design's runs.
     *
     * @param lr the learning rate of a run as a function of its N (base.train.params_convention), or null
     *     for base.train.optimizer.lr
     */
    public static SweepPlan plan(SweepConfig sweep, DoubleUnaryOperator lr) {
        Context x = context(sweep, lr);
        List<String> notes = new ArrayList<>();
        List<PlannedRun> runs = switch (sweep.design().kind()) {
            case GRID -> grid(x);
            case ISOFLOP -> isoflop(x, notes);
            case WSD -> wsd(x);
        };
        return finish(x, runs, notes);
    }

    /**
     * The tuning stage: at each tune budget (the design's smallest by default) the tune.sizes_per_budget
     * shapes the isoflop design would choose, each at every tune learning rate.
     */
    public static SweepPlan tuning(SweepConfig sweep) {
        Context x = context(sweep, null);
        SweepConfig.TuneConfig tune = sweep.tune();
        List<Double> budgets = !tune.budgets().isEmpty() ? tune.budgets()
                : List.of(sweep.design().budgets().stream().min(Double::compare).orElseThrow());
        List<String> notes = new ArrayList<>();
        List<PlannedRun> runs = new ArrayList<>();
        for (int b = 0; b < budgets.size(); b++) {
            double c = budgets.get(b);
            String key = tune.budgets().isEmpty() ? "design.budgets (the smallest)" : "tune.budgets[" + b + "]";
            double nStar = optimumN(x, c);
            for (int i : sizes(x, c, nStar, tune.sizesPerBudget(), sweep.design().spread(), key, false)) {
                for (double lr : tune.lrs()) {
                    runs.add(run(x, x.ladder.shapes().get(i), c, lr, 0, tune.microBatches(), key,
                            " lr=" + Numbers.shortSci(lr)));
                }
            }
            notes.add(String.format(Locale.ROOT, "tuning budget %s: %d sizes around N* = %s x %d learning rates %s",
                    Numbers.sci(c), tune.sizesPerBudget(), Numbers.si(nStar), tune.lrs().size(), tune.lrs())
                    + (tune.microBatches() == 1 ? "" : String.format(Locale.ROOT, "; each batch in %d micro-batches "
                    + "of %d sequences (the gradient noise scale)", tune.microBatches(),
                    x.base.train().batchSize() / tune.microBatches())));
        }
        return finish(x, runs, notes);
    }

    /**
     * The same steps in k micro-batches: batch_size / k sequences, grad_accum x k, and k x the evaluation
     * batches, so that the tokens, the optimizer's steps and the validation windows stay those of the base.
     */
    private static void inMicroBatches(Context x, ObjectNode train, int k) {
        if (k == 1) {
            return;
        }
        TrainConfig t = x.base.train();
        if (t.batchSize() % k != 0) {
            throw ScalingLabException.config("tune.micro_batches (" + k + ") must divide base.train.batch_size ("
                    + t.batchSize() + ")", "choose a divisor of the batch size, or 1");
        }
        train.put("batch_size", t.batchSize() / k);
        train.put("grad_accum", t.gradAccum() * k);
        train.put("eval_batches", t.evalBatches() * k);
        if (t.finalEvalBatches() != null) {
            train.put("final_eval_batches", t.finalEvalBatches() * k);
        }
    }

    /**
     * The check stage: one IsoFLOP budget at check.compute_factor x the design's largest budget, its
     * check.sizes ladder shapes nearest in log N to {@code nOpt} x spread^j (the fitted optimum there).
     */
    public static SweepPlan check(SweepConfig sweep, double nOpt, DoubleUnaryOperator lr) {
        Context x = context(sweep, lr);
        double c = checkBudget(sweep);
        String key = "check.compute_factor";
        SweepConfig.CheckConfig check = sweep.check();
        List<PlannedRun> runs = new ArrayList<>();
        List<Integer> shapes = check.fixedShapes() ? fixedDepths(x, check.depths())
                : sizes(x, c, nOpt, check.sizes(), check.spread(), key, true);
        for (int i : shapes) {
            ObjectNode partial = runTree(x, x.ladder.shapes().get(i), null, 0);
            if (check.seed() != null) {
                partial.put("seed", check.seed());
            }
            partial.with("train").put("flops", c);
            if (sweep.check().finalEvalBatches() != null) {
                // the runs the law is judged on get the largest evaluation; the design's is sized to its budget
                partial.with("train").put("final_eval_batches", sweep.check().finalEvalBatches());
            }
            runs.add(planned(x, partial, x.ladder.shapes().get(i), c, null, List.of(), key, ""));
        }
        return finish(x, runs, List.of(String.format(Locale.ROOT, "check budget %s (%s x the design's largest): "
                + "%d sizes %s", Numbers.sci(c), Numbers.plain(check.computeFactor()), runs.size(),
                check.fixedShapes() ? "at the fixed depths " + check.depths() + " (N_opt there: "
                        + Numbers.si(nOpt) + ")" : "around the fitted N_opt = " + Numbers.si(nOpt))));
    }

    /** The ladder shapes of check.depths, in ladder order; a depth the ladder lacks, or has twice, is refused. */
    private static List<Integer> fixedDepths(Context x, List<Integer> depths) {
        List<Integer> chosen = new ArrayList<>();
        for (int depth : depths) {
            List<Integer> match = java.util.stream.IntStream.range(0, x.ladder.size())
                    .filter(i -> x.ladder.shapes().get(i).layers() == depth).boxed().toList();
            if (match.size() != 1) {
                throw ScalingLabException.config("check.depths lists " + depth + " layers, which " + (match.isEmpty()
                        ? "no ladder shape has" : match.size() + " ladder shapes have"),
                        "list depths that name exactly one ladder shape each");
            }
            chosen.add(match.get(0));
        }
        return chosen.stream().sorted().toList();
    }

    /** The check stage's budget: compute_factor x the design's largest budget. */
    public static double checkBudget(SweepConfig sweep) {
        return sweep.check().computeFactor() * sweep.design().budgets().stream().max(Double::compare).orElseThrow();
    }

    /**
     * Where the design expects the optimum of a budget (N* with D/N = optimum_tokens_per_param), in
     * base.train.params_convention; the check refuses to plan when its budget's N* lies outside the ladder.
     */
    public static double expectedOptimum(SweepConfig sweep, double budget) {
        return optimumN(context(sweep, null), budget);
    }

    /** What every planner of a stage shares: the sweep, its base config and ladder, lr rule, data size. */
    private record Context(SweepConfig sweep, RunConfig base, ModelLadder ladder, DoubleUnaryOperator lr,
            long trainTokens) {}

    private static Context context(SweepConfig sweep, DoubleUnaryOperator lr) {
        RunConfig base = resolveBase(sweep);
        ModelLadder ladder = ModelLadder.of(sweep.ladder(), base.model().context(), base.model().mlpRatio(),
                base.model().attentionBlock(), base.data().vocabSize());
        return new Context(sweep, base, ladder, lr, trainTokens(base.data()));
    }

    /** Training tokens of the data, for the epochs of each run; opened once per data config. */
    static long trainTokens(DataConfig data) {
        return TRAIN_TOKENS.computeIfAbsent(data, d -> {
            try (TokenData t = TokenData.open(d)) {
                return t.trainTokens();
            }
        });
    }

    private static SweepPlan finish(Context x, List<PlannedRun> runs, List<String> notes) {
        Set<String> seen = new HashSet<>();
        for (PlannedRun r : runs) {
            if (!seen.add(r.id())) {
                throw ScalingLabException.config("the design lists run " + r.label() + " (" + r.id() + ") twice",
                        "remove the repeated budget or token count");
            }
        }
        return new SweepPlan(x.sweep, x.ladder, x.base, List.copyOf(runs), List.copyOf(notes), x.trainTokens);
    }

    /** The base config with the first ladder shape's place-holders; its errors name base.* keys. */
    public static RunConfig resolveBase(SweepConfig sweep) {
        ObjectNode b = sweep.base();
        if (b.has("name")) {
            throw ScalingLabException.config("sweep config key 'base.name' is not used: runs are named after the sweep",
                    "set the sweep's name instead");
        }
        for (String k : SET_BY_LADDER) {
            if (b.path("model").has(k)) {
                throw ScalingLabException.config("sweep config key 'base.model." + k + "' is set by the ladder",
                        "remove it from base; list shapes under ladder");
            }
        }
        for (String k : SET_BY_DESIGN) {
            if (b.path("train").has(k)) {
                throw ScalingLabException.config("sweep config key 'base.train." + k + "' is set by the design",
                        "remove it from base; the design gives each run its length");
            }
        }
        ObjectNode probe = b.deepCopy();
        probe.put("name", sweep.name());
        probe.with("train").put("steps", 1);
        try {
            return ConfigLoader.resolve(probe, List.of());
        } catch (ScalingLabException e) {
            throw prefixed(e, "base.");
        }
    }

    /** Rewrites "config key 'x'" as "sweep config key 'base.x'" in a run-config error. */
    static ScalingLabException prefixed(ScalingLabException e, String prefix) {
        if (e.exitCode() != ExitCode.CONFIG || e.getMessage() == null) {
            return e;
        }
        String m = e.getMessage().replaceFirst("config key '", "sweep config key '" + prefix);
        if (m.equals(e.getMessage())) { // a message without a key, such as the run length's
            m = "in sweep config key '" + prefix.replaceAll("\\.$", "") + "': " + m;
        }
        return new ScalingLabException(ExitCode.CONFIG, m, e.hint(), e);
    }

    // ------------------------------------------------------------------ designs

    private static List<PlannedRun> grid(Context x) {
        DesignConfig d = x.sweep.design();
        List<PlannedRun> runs = new ArrayList<>();
        for (ModelConfig m : x.ladder.shapes()) {
            boolean byTokens = !d.tokens().isEmpty();
            List<Double> lengths = byTokens ? d.tokens() : d.tokensPerParam();
            for (int i = 0; i < lengths.size(); i++) {
                String key = "design." + (byTokens ? "tokens" : "tokens_per_param") + "[" + i + "]";
                for (int s = 0; s < d.seeds(); s++) {
                    ObjectNode partial = runTree(x, m, null, s);
                    partial.with("train").put(byTokens ? "tokens" : "tokens_per_param", lengths.get(i));
                    runs.add(planned(x, partial, m, null, null, List.of(), key, seedLabel(x, s)));
                }
            }
        }
        return runs;
    }

    private static List<PlannedRun> isoflop(Context x, List<String> notes) {
        DesignConfig d = x.sweep.design();
        int k = d.sizesPerBudget();
        List<PlannedRun> runs = new ArrayList<>();
        for (double c : d.budgets().stream().sorted().toList()) {
            String key = "design.budgets[" + d.budgets().indexOf(c) + "]";
            double nStar = optimumN(x, c);
            List<Integer> eligible = inRegime(x, c);
            List<Integer> chosen = sizes(x, c, nStar, k, d.spread(), key, true, eligible);
            StringBuilder note = new StringBuilder(String.format(Locale.ROOT,
                    "budget %s: expected optimum N* = %s (D/N = %s), sizes", Numbers.sci(c), Numbers.si(nStar),
                    Numbers.plain(d.optimumTokensPerParam())));
            if (eligible.size() < x.ladder.size()) {
                note.insert(0, String.format(Locale.ROOT, "budget %s: %d of %d ladder shapes are in the law's regime "
                        + "(>= %d steps and D/N >= %s); left out: %s%n", Numbers.sci(c), eligible.size(),
                        x.ladder.size(), d.minSteps(), Numbers.plain(d.minTokensPerParam()), outOfRegime(x, c, eligible)));
            }
            for (int i : chosen) {
                ModelConfig m = x.ladder.shapes().get(i);
                note.append(' ').append(x.ladder.shape(m).label().replaceAll("-T\\d+$", ""));
                for (int s = 0; s < d.seeds(); s++) {
                    runs.add(run(x, m, c, null, s, 1, key, seedLabel(x, s)));
                }
            }
            notes.add(note.toString());
        }
        return runs;
    }

    /**
     * The ladder shapes whose run at budget c is in the law's regime: at least design.min_steps
     * optimizer steps and design.min_tokens_per_param tokens per parameter. Shorter runs are still in
     * early training, where the loss falls faster with each doubling of D, and no L(N, D) fitted here
     * describes them (measured on the quickstart: docs/studies.md).
     */
    private static List<Integer> inRegime(Context x, double c) {
        List<Integer> in = new ArrayList<>();
        for (int i = 0; i < x.ladder.size(); i++) {
            double[] r = regime(x, i, c);
            if (r[0] >= x.sweep.design().minSteps() && r[1] >= x.sweep.design().minTokensPerParam()) {
                in.add(i);
            }
        }
        return in;
    }

    /** {steps, D/N} of ladder shape i trained at budget c. */
    private static double[] regime(Context x, int i, double c) {
        TrainConfig t = x.base.train();
        GptShape s = x.ladder.shape(x.ladder.shapes().get(i));
        double tokens = c / Flops.perToken(s).get(t.flopsConvention());
        double perStep = (double) t.sequencesPerStep() * s.context();
        return new double[] {Math.round(tokens / perStep), tokens / x.ladder.params(x.ladder.shapes().get(i),
                t.paramsConvention())};
    }

    private static String outOfRegime(Context x, double c, List<Integer> eligible) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < x.ladder.size(); i++) {
            if (!eligible.contains(i)) {
                double[] r = regime(x, i, c);
                sb.append(sb.length() == 0 ? "" : ", ").append(x.ladder.shape(x.ladder.shapes().get(i)).label()
                        .replaceAll("-T\\d+$", "")).append(String.format(Locale.ROOT, " (%.0f steps, D/N %.1f)", r[0], r[1]));
            }
        }
        return sb.toString();
    }

    /** An IsoFLOP run: shape m at budget c (its tokens follow from its FLOPs per token), in k micro-batches. */
    private static PlannedRun run(Context x, ModelConfig m, double c, Double lr, int seed, int microBatches,
            String key, String suffix) {
        ObjectNode partial = runTree(x, m, lr, seed);
        partial.with("train").put("flops", c);
        inMicroBatches(x, partial.with("train"), microBatches);
        return planned(x, partial, m, c, null, List.of(), key, suffix);
    }

    private static String seedLabel(Context x, int s) {
        return x.sweep.design().seeds() > 1 ? " seed+" + s : "";
    }

    /** As {@link #sizes(Context, double, double, int, double, String, boolean, List)}, among every ladder shape. */
    private static List<Integer> sizes(Context x, double c, double nStar, int k, double spread, String key,
            boolean bracket) {
        return sizes(x, c, nStar, k, spread, key, bracket, java.util.stream.IntStream.range(0, x.ladder.size())
                .boxed().toList());
    }

    /**
     * The k ladder shapes an IsoFLOP budget takes around N*; with {@code bracket}, refused with the
     * reason when N* lies outside the ladder or they cannot bracket it (tuning needs no bracket: it
     * finds each size's learning rate, not the best size). They are chosen {@code among} the shapes in
     * the law's regime ({@link #inRegime}): up to k of them, a budget keeping fewer when fewer qualify,
     * and refused with the fix below the 3 an IsoFLOP profile needs for its minimum.
     */
    private static List<Integer> sizes(Context x, double c, double nStar, int k, double spread, String key,
            boolean bracket, List<Integer> among) {
        ModelLadder ladder = x.ladder;
        if (ladder.size() < k) {
            throw ScalingLabException.config("the ladder has " + ladder.size() + " shapes, fewer than the " + k
                    + " sizes " + key + " needs", "add shapes to the ladder or ask for fewer sizes");
        }
        double[] all = params(x);
        double lo = java.util.Arrays.stream(all).min().orElseThrow();
        double hi = java.util.Arrays.stream(all).max().orElseThrow();
        if (!bracket) {
            return IsoFlopSizes.nearest(all, nStar, k, spread);
        }
        if (nStar < lo || nStar > hi) {
            throw ScalingLabException.config(String.format(Locale.ROOT, "%s = %s: the expected optimum N* = %s lies "
                    + "%s the ladder (N %s to %s), so no IsoFLOP profile there could show its minimum", key,
                    Numbers.sci(c), Numbers.si(nStar), nStar < lo ? "below" : "above", Numbers.si(lo), Numbers.si(hi)),
                    nStar < lo ? "add smaller shapes to the ladder, or raise the budget"
                            : "add larger shapes to the ladder, or lower the budget");
        }
        boolean cut = among.size() < ladder.size();
        DesignConfig d = x.sweep.design();
        int need = Math.min(k, d.minSizes());
        if (among.size() < need) {
            throw ScalingLabException.config(String.format(Locale.ROOT, "%s = %s: only %d ladder shape(s) train in the "
                    + "law's regime there (>= %d steps and D/N >= %s), fewer than the %d design.min_sizes asks for%s; "
                    + "left out: %s", key, Numbers.sci(c), among.size(), d.minSteps(),
                    Numbers.plain(d.minTokensPerParam()), need, need >= 3 ? " (an IsoFLOP profile needs 3)" : "",
                    outOfRegime(x, c, among)),
                    "raise the budget, add smaller shapes to the ladder, shrink the batch, lower design.min_steps / "
                            + "design.min_tokens_per_param, or set design.min_sizes: 2");
        }
        double[] n = among.stream().mapToDouble(i -> all[i]).toArray();
        try {
            return IsoFlopSizes.bracketing(n, nStar, Math.min(k, among.size()), spread).stream().map(among::get)
                    .toList();
        } catch (IllegalArgumentException e) {
            throw ScalingLabException.config(key + " = " + Numbers.sci(c) + ": " + (cut ? "among the shapes in the "
                    + "law's regime, " : "") + e.getMessage(), cut ? "raise the budget, add ladder shapes around N* = "
                    + Numbers.si(nStar) + ", or lower design.min_steps / design.min_tokens_per_param"
                    : "add ladder shapes around N* = " + Numbers.si(nStar) + ", or drop the budget");
        }
    }

    private static double[] params(Context x) {
        TrainConfig t = x.base.train();
        return x.ladder.shapes().stream().mapToDouble(m -> x.ladder.params(m, t.paramsConvention())).toArray();
    }

    /** N* of budget c under the design's D/N rule, interpolated over the ladder. */
    private static double optimumN(Context x, double c) {
        TrainConfig t = x.base.train();
        double[] n = params(x);
        double[] cOpt = new double[n.length];
        for (int i = 0; i < n.length; i++) {
            GptShape s = x.ladder.shape(x.ladder.shapes().get(i));
            cOpt[i] = Flops.perToken(s).get(t.flopsConvention()) * x.sweep.design().optimumTokensPerParam() * n[i];
        }
        return IsoFlopSizes.optimumN(n, cOpt, c);
    }

    private static List<PlannedRun> wsd(Context x) {
        SweepConfig sweep = x.sweep;
        RunConfig base = x.base;
        ModelLadder ladder = x.ladder;
        if (sweep.design().seeds() > 1) {
            throw ScalingLabException.config("sweep config key 'design.seeds' must be 1 for a wsd design",
                    "replicate a wsd sweep by running it again with another base.seed");
        }
        DesignConfig d = sweep.design();
        boolean byTokens = !d.tokens().isEmpty();
        List<Double> lengths = (byTokens ? d.tokens() : d.tokensPerParam()).stream().sorted().toList();
        String key = "design." + (byTokens ? "tokens" : "tokens_per_param");
        TrainConfig.ScheduleConfig sc = base.train().schedule();
        List<PlannedRun> runs = new ArrayList<>();
        for (ModelConfig m : ladder.shapes()) {
            String shape = ladder.shape(m).label();
            // One warmup for every branch of this shape, so that up to its cooldown a branch is the trunk.
            long shortest = steps(x, m, byTokens, lengths.get(0), key);
            long warmup = sc.warmupSteps() > 0 ? sc.warmupSteps() : Math.round(sc.warmupFraction() * shortest);
            if (shortest <= warmup + 1) {
                throw ScalingLabException.config("shape " + shape + ": the shortest wsd branch has " + shortest
                        + " steps, no more than its warmup (" + warmup + ") + 1",
                        "raise the smallest " + key + " or lower base.train.schedule.warmup_steps");
            }
            List<PlannedRun> plain = new ArrayList<>();
            for (double v : lengths) {
                ObjectNode partial = lengthTree(x, m, byTokens, v);
                partial.with("train").with("schedule").put("warmup_steps", warmup);
                PlannedRun r = planned(x, partial, m, null, null, List.of(), key, "");
                if (!plain.isEmpty() && plain.get(plain.size() - 1).plan().steps() == r.plan().steps()) {
                    throw ScalingLabException.config("shape " + shape + ": " + key + " values "
                            + Numbers.plain(lengths.get(plain.size() - 1)) + " and " + Numbers.plain(v) + " give the same number of steps",
                            "space the token counts further apart");
                }
                plain.add(r);
            }
            PlannedRun trunk = plain.get(plain.size() - 1);
            List<Long> keep = new ArrayList<>();
            for (PlannedRun r : plain.subList(0, plain.size() - 1)) {
                long at = new LrSchedule(r.config().train().schedule(), r.config().train().optimizer().lr(),
                        r.plan().steps(), r.plan().warmupSteps()).cooldownStart();
                PlannedRun.Branch branch = at > 0 ? new PlannedRun.Branch(trunk.id(), at) : null;
                if (branch != null && !keep.contains(at)) {
                    keep.add(at);
                }
                runs.add(new PlannedRun(r.id(), r.label(), r.config(), r.plan(), null, branch, List.of(), r.epochs()));
            }
            runs.add(new PlannedRun(trunk.id(), trunk.label(), trunk.config(), trunk.plan(), null, null,
                    keep.stream().sorted().toList(), trunk.epochs()));
        }
        return runs;
    }

    private static long steps(Context x, ModelConfig m, boolean byTokens, double v, String key) {
        return planned(x, lengthTree(x, m, byTokens, v), m, null, null, List.of(), key, "").plan().steps();
    }

    private static ObjectNode lengthTree(Context x, ModelConfig m, boolean byTokens, double v) {
        ObjectNode partial = runTree(x, m, null, 0);
        partial.with("train").put(byTokens ? "tokens" : "tokens_per_param", v);
        partial.with("train").with("schedule").put("kind", "wsd");
        return partial;
    }

    // ------------------------------------------------------------------ runs

    /**
     * The base with a shape, a learning rate ({@code lr}, else the rule's value at the shape's N, else
     * the base's) and seed offset {@code seed}.
     */
    private static ObjectNode runTree(Context x, ModelConfig m, Double lr, int seed) {
        ObjectNode partial = x.sweep.base().deepCopy();
        partial.put("name", x.sweep.name());
        ObjectNode model = partial.with("model");
        model.put("d_model", m.dModel());
        model.put("layers", m.layers());
        model.put("heads", m.heads());
        model.put("mlp_ratio", m.mlpRatio());
        Double rate = lr != null ? lr
                : x.lr != null ? x.lr.applyAsDouble(x.ladder.params(m, x.base.train().paramsConvention())) : null;
        if (rate != null) {
            partial.with("train").with("optimizer").put("lr", roundLr(rate));
        }
        if (seed > 0) {
            partial.put("seed", x.base.seed() + seed);
        }
        return partial;
    }

    /** Four significant digits: a rule's value names the same run however its last bits fall. */
    static double roundLr(double lr) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.4g", lr));
    }

    private static RunConfig resolve(ObjectNode partial, ModelLadder ladder, ModelConfig m, String key) {
        try {
            return ConfigLoader.resolve(partial, List.of());
        } catch (ScalingLabException e) {
            throw new ScalingLabException(e.exitCode(), "run " + ladder.shape(m).label() + (key.isEmpty() ? "" : " ("
                    + key + ")") + ": " + e.getMessage(), e.hint(), e);
        }
    }

    private static PlannedRun planned(Context x, ObjectNode partial, ModelConfig m, Double budget,
            PlannedRun.Branch branch, List<Long> keep, String key, String suffix) {
        RunConfig config = resolve(partial, x.ladder, m, key);
        GptShape shape = x.ladder.shape(m);
        String label = shape.label().replaceAll("-T\\d+$", "");
        TrainConfig t = config.train();
        long tokensPerStep = (long) t.sequencesPerStep() * shape.context();
        double fpt = Flops.perToken(shape).get(t.flopsConvention());
        double tokens = t.tokens() != null ? t.tokens()
                : t.flops() != null ? t.flops() / fpt
                : t.tokensPerParam() * x.ladder.params(m, t.paramsConvention());
        if (tokens < tokensPerStep) {
            throw ScalingLabException.config(String.format(Locale.ROOT, "run %s (%s) would train on %.3g tokens, "
                    + "fewer than one batch (%d = batch x grad_accum x context)", label, key, tokens, tokensPerStep),
                    "raise the budget or token count, or use a smaller base.train.batch_size");
        }
        RunPlan plan = RunPlan.of(config, config.data().vocabSize());
        double epochs = plan.tokens() / (double) x.trainTokens;
        label += (budget != null ? " C=" + Numbers.shortSci(budget) : " D=" + Numbers.si(plan.tokens())) + suffix;
        double max = x.sweep.design().maxEpochs();
        if (epochs > max) {
            throw ScalingLabException.config(String.format(Locale.ROOT, "run %s (%s) would pass over the training "
                    + "data %.2f times (D = %s tokens, %s training tokens), more than design.max_epochs (%s): "
                    + "repeated tokens bend the law", label, key, epochs, Numbers.si(plan.tokens()),
                    Numbers.si(x.trainTokens), Numbers.plain(max)), "train on more data (base.data), lower the budget, drop the "
                    + "smallest shapes from the ladder, or raise design.max_epochs knowingly");
        }
        return new PlannedRun(config.id(), label, config, plan, budget, branch, keep, epochs);
    }
}
