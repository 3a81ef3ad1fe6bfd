package org.scalinglab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.ConfigLoader;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.RunConfig;
import org.scalinglab.config.StrictYaml;

class RunPlanTest {
    static RunConfig config(String... sets) {
        return ConfigLoader.resolve(StrictYaml.mapper().createObjectNode(), List.of(sets));
    }

    // defaults: batch 16 x context 128 = 2,048 tokens per step
    @Test
    void tokensRoundToWholeSteps() {
        RunPlan p = RunPlan.of(config("train.tokens=1e6"), 256);
        assertEquals(488, p.steps()); // 1e6 / 2048 = 488.3
        assertEquals(488 * 2048, p.tokens());
    }

    @Test
    void flopsDivideByTheChosenConvention() {
        RunPlan chin = RunPlan.of(config("train.flops=1e13"), 256);
        RunPlan kap = RunPlan.of(config("train.flops=1e13", "train.flops_convention=kaplan"), 256);
        assertEquals(Math.round(1e13 / chin.flopsPerToken().chinchilla() / 2048), chin.steps());
        assertEquals(Math.round(1e13 / kap.flopsPerToken().kaplan() / 2048), kap.steps());
        assertEquals(1e13, chin.flopsChinchilla(), 1e13 * 2048.0 / chin.tokens());
        RunPlan a4 = RunPlan.of(config("train.flops=1e13", "train.flops_convention=chinchilla_a4"), 256);
        assertEquals(Math.round(1e13 / a4.flopsPerToken().chinchillaA4() / 2048), a4.steps());
        assertEquals(1e13, a4.flops(FlopConvention.CHINCHILLA_A4), 1e13 * 2048.0 / a4.tokens());
        assertTrue(a4.steps() > chin.steps(), "no embeddings or logits: fewer FLOPs per token, more tokens");
    }

    @Test
    void anUnknownFlopConventionNamesTheThree() {
        ScalingLabException e = assertThrows(ScalingLabException.class,
                () -> RunPlan.of(config("train.flops=1e13", "train.flops_convention=chinchilla-a5"), 256));
        assertEquals(ExitCode.CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains("train.flops_convention"), e.getMessage());
        assertEquals("one of kaplan, chinchilla, chinchilla_a4", e.hint());
    }

    @Test
    void tokensPerParameterUseTheChosenConvention() {
        RunPlan p = RunPlan.of(config("train.tokens_per_param=20", "train.params_convention=total"), 256);
        assertEquals(Math.round(20.0 * p.params().total() / 2048), p.steps());
        assertEquals(20, p.tokensPerParam(), 20 * 2048.0 / p.tokens() + 1e-9);
    }

    @Test
    void warmupFractionAndSteps() {
        assertEquals(100, RunPlan.of(config("train.steps=1000"), 256).warmupSteps()); // 10% default
        assertEquals(7, RunPlan.of(config("train.steps=1000", "train.schedule.warmup_steps=7"), 256).warmupSteps());
    }

    @Test
    void aRunShorterThanOneBatchIsRefused() {
        ScalingLabException e = assertThrows(ScalingLabException.class,
                () -> RunPlan.of(config("train.tokens=100"), 256));
        assertEquals(ExitCode.CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains("fewer than half of one step"), e.getMessage());
    }

    @Test
    void aWarmupLongerThanTheRunIsRefused() {
        RunConfig c = config("train.steps=50", "train.schedule.warmup_steps=100");
        RunPlan p = RunPlan.of(c, 256);
        ScalingLabException e = assertThrows(ScalingLabException.class, () -> RunPlan.requireWarmupWithinRun(c, p, ""));
        assertEquals(ExitCode.CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains("'train.schedule.warmup_steps' is 100, not shorter than the run's 50 steps"),
                e.getMessage());
        RunConfig equal = config("train.steps=50", "train.schedule.warmup_steps=50");
        assertThrows(ScalingLabException.class, () -> RunPlan.requireWarmupWithinRun(equal, RunPlan.of(equal, 256), ""));
        RunConfig ok = config("train.steps=50", "train.schedule.warmup_steps=49");
        RunPlan.requireWarmupWithinRun(ok, RunPlan.of(ok, 256), "");
        assertEquals(49, RunPlan.of(ok, 256).warmupSteps());
    }
}
