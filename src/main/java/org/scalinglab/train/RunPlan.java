package org.scalinglab.train;

import org.scalinglab.ScalingLabException;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.RunConfig;
import org.scalinglab.config.TrainConfig;
import org.scalinglab.model.Flops;
import org.scalinglab.model.GptShape;
import org.scalinglab.model.ParameterCounts;
import org.scalinglab.train.runfolder.RunRecords;

/**
 * What a run will do, derived from its config before anything trains: sizes, horizon, FLOPs.
 * The horizon comes from whichever length the config gives (steps, tokens, FLOPs or a
 * tokens-per-parameter ratio), rounded to whole optimizer steps; D and C are then exact.
 *
 * @param params the parameter counts of the shape
 * @param paramsUsed N in the config's parameter convention (the N of D/N)
 * @param flopsPerToken training FLOPs per token in every convention
 * @param tokensPerStep sequences per step times context
 * @param steps optimizer steps
 * @param warmupSteps linear-warmup steps of the schedule
 */
public record RunPlan(GptShape shape, ParameterCounts params, long paramsUsed, Flops.PerToken flopsPerToken,
        long tokensPerStep, long steps, long warmupSteps) {

    /** D = steps x tokens per step fits a long. */
    public static final long MAX_TOKENS = 1L << 62;

    /** What the plan implies, as run.json records it before training. */
    public RunRecords.Derived derived(RunConfig config) {
        return new RunRecords.Derived(params, flopsPerToken, steps, tokensPerStep, tokens(),
                new RunRecords.FlopCounts(flopsKaplan(), flopsChinchilla(), flopsChinchillaA4()), paramsUsed,
                tokensPerParam(), warmupSteps, config.train().flops());
    }

    public static RunPlan of(RunConfig config, int vocab) {
        GptShape shape = GptShape.of(config.model(), vocab);
        ParameterCounts params = ParameterCounts.closedForm(shape);
        Flops.PerToken fpt = Flops.perToken(shape);
        TrainConfig t = config.train();
        long tokensPerStep = (long) t.sequencesPerStep() * shape.context();
        long paramsUsed = params.get(t.paramsConvention());
        double tokens;
        if (t.steps() != null) {
            tokens = (double) t.steps() * tokensPerStep;
        } else if (t.tokens() != null) {
            tokens = t.tokens();
        } else if (t.flops() != null) {
            tokens = t.flops() / fpt.get(t.flopsConvention());
        } else {
            tokens = t.tokensPerParam() * paramsUsed;
        }
        if (!(tokens / tokensPerStep <= TrainConfig.MAX_STEPS) || !(tokens <= MAX_TOKENS)) {
            // Math.round would clamp to Long.MAX_VALUE and D overflow to a negative count: a run that never ends
            throw ScalingLabException.config(String.format(java.util.Locale.ROOT, "the run length gives %.3g tokens "
                    + "(%.3g steps of %d), more than a run can count (%.0e steps, %.1e tokens)", tokens,
                    tokens / tokensPerStep, tokensPerStep, (double) TrainConfig.MAX_STEPS, (double) MAX_TOKENS),
                    "check train.steps, train.tokens, train.flops or train.tokens_per_param (and a sweep's budgets and "
                            + "tokens)");
        }
        long steps = Math.max(1, Math.round(tokens / tokensPerStep));
        if (tokens < tokensPerStep / 2.0) {
            throw ScalingLabException.config(String.format(
                    "the run length gives %.3g tokens, fewer than half of one step's %d (batch %d x accumulation %d x context %d)",
                    tokens, tokensPerStep, t.batchSize(), t.gradAccum(), shape.context()),
                    "lengthen the run or shrink the batch");
        }
        TrainConfig.ScheduleConfig s = t.schedule();
        long warmup = s.warmupSteps() > 0 ? s.warmupSteps() : Math.round(s.warmupFraction() * steps);
        warmup = Math.min(warmup, steps - 1);
        return new RunPlan(shape, params, paramsUsed, fpt, tokensPerStep, steps, Math.max(0, warmup));
    }

    /**
     * Refuses a {@code warmup_steps} that does not end before the run does ({@link #of} would cut it
     * to steps - 1 without a word); train and plan call it, the records of finished runs need not.
     */
    public static void requireWarmupWithinRun(RunConfig config, RunPlan plan, String what) {
        int w = config.train().schedule().warmupSteps();
        if (w > 0 && w >= plan.steps()) {
            throw ScalingLabException.config(what + "config key 'train.schedule.warmup_steps' is " + w
                    + ", not shorter than the run's " + plan.steps() + " steps", "lower train.schedule.warmup_steps "
                    + "(0 takes train.schedule.warmup_fraction of the run) or lengthen the run");
        }
    }

    /** Training tokens D. */
    public long tokens() {
        return steps * tokensPerStep;
    }

    /** Training FLOPs C in the Kaplan convention. */
    public double flopsKaplan() {
        return tokens() * flopsPerToken.kaplan();
    }

    /** Training FLOPs C in the Chinchilla convention (appendix F). */
    public double flopsChinchilla() {
        return tokens() * flopsPerToken.chinchilla();
    }

    /** Training FLOPs C as Chinchilla's Table A4 counts them (appendix F without embeddings and logits). */
    public double flopsChinchillaA4() {
        return tokens() * flopsPerToken.chinchillaA4();
    }

    /** Training FLOPs C in a convention. */
    public double flops(FlopConvention convention) {
        return tokens() * flopsPerToken.get(convention);
    }

    public double tokensPerParam() {
        return tokens() / (double) paramsUsed;
    }
}
