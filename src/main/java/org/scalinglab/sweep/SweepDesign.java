package org.scalinglab.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.ConfigLoader;
import org.scalinglab.config.ModelConfig;
import org.scalinglab.config.RunConfig;
import org.scalinglab.config.TrainConfig;
import org.scalinglab.io.Units;
import org.scalinglab.model.Flops;
import org.scalinglab.model.GptShape;
import org.scalinglab.sweep.SweepConfig.DesignConfig;
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
 * Impossible plans are refused with the reason: too few tokens for one batch, too few ladder shapes
 * around a budget's optimum, a run listed twice.
 */
public final class SweepDesign {
    private static final List<String> SET_BY_LADDER = List.of("d_model", "layers", "heads");
    private static final List<String> SET_BY_DESIGN = List.of("steps", "tokens", "flops", "tokens_per_param");

    private SweepDesign() {}

    public static SweepPlan plan(SweepConfig sweep) {
        RunConfig base = resolveBase(sweep);
        ModelLadder ladder = ModelLadder.of(sweep.ladder(), base.model().context(), base.model().mlpRatio(),
                base.data().vocabSize());
        List<String> notes = new ArrayList<>();
        List<PlannedRun> runs = switch (sweep.design().kind()) {
            case GRID -> grid(sweep, base, ladder);
            case ISOFLOP -> isoflop(sweep, base, ladder, notes);
            case WSD -> wsd(sweep, base, ladder);
        };
        Set<String> seen = new HashSet<>();
        for (PlannedRun r : runs) {
            if (!seen.add(r.id())) {
                throw ScalingLabException.config("the design lists run " + r.label() + " (" + r.id() + ") twice",
                        "remove the repeated budget or token count");
            }
        }
        return new SweepPlan(sweep, ladder, base, List.copyOf(runs), List.copyOf(notes));
    }

    /** The base config with the first ladder shape's place-holders; its errors name base.* keys. */
    static RunConfig resolveBase(SweepConfig sweep) {
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

    private static List<PlannedRun> grid(SweepConfig sweep, RunConfig base, ModelLadder ladder) {
        DesignConfig d = sweep.design();
        List<PlannedRun> runs = new ArrayList<>();
        for (ModelConfig m : ladder.shapes()) {
            boolean byTokens = !d.tokens().isEmpty();
            List<Double> lengths = byTokens ? d.tokens() : d.tokensPerParam();
            for (int i = 0; i < lengths.size(); i++) {
                double v = lengths.get(i);
                ObjectNode partial = runTree(sweep, m);
                partial.with("train").put(byTokens ? "tokens" : "tokens_per_param", v);
                String key = "design." + (byTokens ? "tokens" : "tokens_per_param") + "[" + i + "]";
                runs.add(planned(partial, ladder, m, null, null, List.of(), key));
            }
        }
        return runs;
    }

    private static List<PlannedRun> isoflop(SweepConfig sweep, RunConfig base, ModelLadder ladder, List<String> notes) {
        DesignConfig d = sweep.design();
        TrainConfig t = base.train();
        int k = d.sizesPerBudget();
        if (ladder.size() < k) {
            throw ScalingLabException.config("the ladder has " + ladder.size() + " shapes, fewer than "
                    + "design.sizes_per_budget (" + k + ")", "add shapes to the ladder or lower sizes_per_budget");
        }
        double[] n = new double[ladder.size()];
        double[] cOpt = new double[ladder.size()];
        for (int i = 0; i < ladder.size(); i++) {
            GptShape s = ladder.shape(ladder.shapes().get(i));
            n[i] = ladder.params(ladder.shapes().get(i), t.paramsConvention());
            cOpt[i] = Flops.perToken(s).get(t.flopsConvention()) * d.optimumTokensPerParam() * n[i];
        }
        List<Double> budgets = d.budgets().stream().sorted().toList();
        List<PlannedRun> runs = new ArrayList<>();
        for (double c : budgets) {
            int bi = d.budgets().indexOf(c);
            double nStar = optimumN(n, cOpt, c);
            List<Integer> chosen;
            try {
                chosen = isoflopSizes(n, nStar, k, d.spread());
            } catch (IllegalArgumentException e) {
                throw ScalingLabException.config("design.budgets[" + bi + "] = " + Units.sci(c) + ": " + e.getMessage(),
                        "add ladder shapes around N* = " + Units.si(nStar) + ", or drop the budget");
            }
            StringBuilder note = new StringBuilder(String.format(Locale.ROOT,
                    "budget %s: expected optimum N* = %s (D/N = %s), sizes", Units.sci(c), Units.si(nStar),
                    fmt(d.optimumTokensPerParam())));
            for (int i : chosen) {
                ModelConfig m = ladder.shapes().get(i);
                note.append(' ').append(ladder.shape(m).label().replaceAll("-T\\d+$", ""));
                ObjectNode partial = runTree(sweep, m);
                partial.with("train").put("flops", c);
                runs.add(planned(partial, ladder, m, c, null, List.of(), "design.budgets[" + bi + "]"));
            }
            notes.add(note.toString());
        }
        return runs;
    }

    private static List<PlannedRun> wsd(SweepConfig sweep, RunConfig base, ModelLadder ladder) {
        DesignConfig d = sweep.design();
        boolean byTokens = !d.tokens().isEmpty();
        List<Double> lengths = (byTokens ? d.tokens() : d.tokensPerParam()).stream().sorted().toList();
        String key = "design." + (byTokens ? "tokens" : "tokens_per_param");
        TrainConfig.ScheduleConfig sc = base.train().schedule();
        List<PlannedRun> runs = new ArrayList<>();
        for (ModelConfig m : ladder.shapes()) {
            String shape = ladder.shape(m).label();
            // One warmup for every branch of this shape, so that up to its cooldown a branch is the trunk.
            long shortest = steps(sweep, ladder, m, byTokens, lengths.get(0), key);
            long warmup = sc.warmupSteps() > 0 ? sc.warmupSteps() : Math.round(sc.warmupFraction() * shortest);
            if (shortest <= warmup + 1) {
                throw ScalingLabException.config("shape " + shape + ": the shortest wsd branch has " + shortest
                        + " steps, no more than its warmup (" + warmup + ") + 1",
                        "raise the smallest " + key + " or lower base.train.schedule.warmup_steps");
            }
            List<PlannedRun> plain = new ArrayList<>();
            for (double v : lengths) {
                ObjectNode partial = lengthTree(sweep, m, byTokens, v);
                partial.with("train").with("schedule").put("warmup_steps", warmup);
                PlannedRun r = planned(partial, ladder, m, null, null, List.of(), key);
                if (!plain.isEmpty() && plain.get(plain.size() - 1).plan().steps() == r.plan().steps()) {
                    throw ScalingLabException.config("shape " + shape + ": " + key + " values "
                            + fmt(lengths.get(plain.size() - 1)) + " and " + fmt(v) + " give the same number of steps",
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
                runs.add(new PlannedRun(r.id(), r.label(), r.config(), r.plan(), null, branch, List.of()));
            }
            runs.add(new PlannedRun(trunk.id(), trunk.label(), trunk.config(), trunk.plan(), null, null,
                    keep.stream().sorted().toList()));
        }
        return runs;
    }

    private static long steps(SweepConfig sweep, ModelLadder ladder, ModelConfig m, boolean byTokens, double v,
            String key) {
        return planned(lengthTree(sweep, m, byTokens, v), ladder, m, null, null, List.of(), key).plan().steps();
    }

    private static ObjectNode lengthTree(SweepConfig sweep, ModelConfig m, boolean byTokens, double v) {
        ObjectNode partial = runTree(sweep, m);
        partial.with("train").put(byTokens ? "tokens" : "tokens_per_param", v);
        partial.with("train").with("schedule").put("kind", "wsd");
        return partial;
    }

    // ------------------------------------------------------------------ IsoFLOP arithmetic

    /**
     * N at which a budget is compute-optimal under the rule: interpolates log N against log C_opt
     * over the ladder (C_opt = F(N) r N, increasing with N), extrapolating the end segments.
     */
    static double optimumN(double[] n, double[] cOpt, double budget) {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < n.length; i++) {
            pts.add(new double[] {Math.log(cOpt[i]), Math.log(n[i])});
        }
        pts.sort(Comparator.comparingDouble(p -> p[0]));
        List<double[]> inc = new ArrayList<>();
        for (double[] p : pts) {
            if (inc.isEmpty() || p[0] > inc.get(inc.size() - 1)[0] && p[1] > inc.get(inc.size() - 1)[1]) {
                inc.add(p);
            }
        }
        double x = Math.log(budget);
        if (inc.size() == 1) {
            return Math.exp(inc.get(0)[1] + 0.5 * (x - inc.get(0)[0])); // C ~ N^2 at a fixed D/N
        }
        int i = 1;
        while (i < inc.size() - 1 && x > inc.get(i)[0]) {
            i++;
        }
        double[] a = inc.get(i - 1);
        double[] b = inc.get(i);
        return Math.exp(a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]));
    }

    /**
     * Indices of the k distinct ladder sizes nearest in log N to N* spread^j, j = -(k-1)/2 .. (k-1)/2,
     * chosen from the centre outwards; sorted by N. Throws if they all lie on one side of N*.
     */
    static List<Integer> isoflopSizes(double[] n, double nStar, int k, double spread) {
        if (n.length < k) {
            throw new IllegalArgumentException("the ladder has " + n.length + " shapes, fewer than " + k);
        }
        List<Double> offsets = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            offsets.add(j - (k - 1) / 2.0);
        }
        offsets.sort(Comparator.comparingDouble((Double o) -> Math.abs(o)).thenComparingDouble(o -> o));
        List<Integer> chosen = new ArrayList<>();
        for (double o : offsets) {
            double target = Math.log(nStar) + o * Math.log(spread);
            int best = -1;
            for (int i = 0; i < n.length; i++) {
                if (!chosen.contains(i) && (best < 0
                        || Math.abs(Math.log(n[i]) - target) < Math.abs(Math.log(n[best]) - target))) {
                    best = i;
                }
            }
            chosen.add(best);
        }
        chosen.sort(Comparator.comparingDouble(i -> n[i]));
        if (k > 1) {
            if (n[chosen.get(k - 1)] <= nStar) {
                throw new IllegalArgumentException("the expected optimum N* = " + Units.si(nStar)
                        + " is above every chosen ladder size (largest " + Units.si(n[chosen.get(k - 1)])
                        + "): too few shapes above it, so its IsoFLOP minimum could not be interior");
            }
            if (n[chosen.get(0)] >= nStar) {
                throw new IllegalArgumentException("the expected optimum N* = " + Units.si(nStar)
                        + " is below every chosen ladder size (smallest " + Units.si(n[chosen.get(0)])
                        + "): too few shapes below it, so its IsoFLOP minimum could not be interior");
            }
        }
        return chosen;
    }

    // ------------------------------------------------------------------ runs

    private static ObjectNode runTree(SweepConfig sweep, ModelConfig m) {
        ObjectNode partial = sweep.base().deepCopy();
        partial.put("name", sweep.name());
        ObjectNode model = partial.with("model");
        model.put("d_model", m.dModel());
        model.put("layers", m.layers());
        model.put("heads", m.heads());
        model.put("mlp_ratio", m.mlpRatio());
        return partial;
    }

    private static RunConfig resolve(ObjectNode partial, ModelLadder ladder, ModelConfig m, String key) {
        try {
            return ConfigLoader.resolve(partial, List.of());
        } catch (ScalingLabException e) {
            throw new ScalingLabException(e.exitCode(), "run " + ladder.shape(m).label() + (key.isEmpty() ? "" : " ("
                    + key + ")") + ": " + e.getMessage(), e.hint(), e);
        }
    }

    private static PlannedRun planned(ObjectNode partial, ModelLadder ladder, ModelConfig m, Double budget,
            PlannedRun.Branch branch, List<Long> keep, String key) {
        RunConfig config = resolve(partial, ladder, m, key);
        GptShape shape = ladder.shape(m);
        String label = shape.label().replaceAll("-T\\d+$", "");
        TrainConfig t = config.train();
        long tokensPerStep = (long) t.sequencesPerStep() * shape.context();
        double fpt = Flops.perToken(shape).get(t.flopsConvention());
        double tokens = t.tokens() != null ? t.tokens()
                : t.flops() != null ? t.flops() / fpt
                : t.tokensPerParam() * ladder.params(m, t.paramsConvention());
        if (tokens < tokensPerStep) {
            throw ScalingLabException.config(String.format(Locale.ROOT, "run %s (%s) would train on %.3g tokens, "
                    + "fewer than one batch (%d = batch x grad_accum x context)", label, key, tokens, tokensPerStep),
                    "raise the budget or token count, or use a smaller base.train.batch_size");
        }
        RunPlan plan = RunPlan.of(config, config.data().vocabSize());
        label += budget != null ? " C=" + Units.shortSci(budget) : " D=" + Units.si(plan.tokens());
        return new PlannedRun(config.id(), label, config, plan, budget, branch, keep);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

}
