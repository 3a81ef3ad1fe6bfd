package org.scalinglab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.StrictYaml;

/**
 * The stages of a study as planned: epochs and their limit, the learning-rate rule applied to every
 * run, seed replicates, the tuning grid, the check budget, and sweep files that extend others.
 */
public class StudyDesignTest {
    /** The synthetic language, 300k tokens (285k for training), context 16, 64 tokens per step. */
    static final String BASE = """
            base:
              device: cpu
              data: {source: markov, vocab_size: 32, markov: {vocab: 32, tokens: 300000}}
              model: {context: 16}
              train: {batch_size: 4}
            ladder: {rule: {depths: [1, 2, 3, 4, 5, 6], width_per_layer: 8, head_dim: 8}}
            """;

    public static SweepConfig config(String yaml, String... sets) {
        try {
            JsonNode tree = StrictYaml.mapper().readTree(BASE + yaml);
            return SweepConfig.resolve(tree, List.of(sets));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static final String ISOFLOP = "design: {kind: isoflop, budgets: [1e9, 2e9], sizes_per_budget: 3, "
            + "optimum_tokens_per_param: 5, min_steps: 0, min_tokens_per_param: 0}\n"; // tiny runs: no regime limits

    @Test
    void everyRunKnowsItsEpochsAndTooManyAreRefusedWithTheFix() {
        SweepPlan p = SweepDesign.plan(config(ISOFLOP));
        for (PlannedRun r : p.runs()) {
            assertEquals(r.plan().tokens() / (double) p.trainTokens(), r.epochs(), 1e-12);
        }
        assertEquals(285_000, p.trainTokens(), 5_000);
        ScalingLabException e = org.junit.jupiter.api.Assertions.assertThrows(ScalingLabException.class,
                () -> SweepDesign.plan(config(ISOFLOP, "design.budgets=[1e9, 2e10]")));
        assertEquals(ExitCode.CONFIG, e.exitCode());
        assertTrue(e.getMessage().matches(".*would pass over the training data \\d+\\.\\d\\d times \\(D = .* tokens, "
                + ".* training tokens\\), more than design.max_epochs \\(1\\).*"), e.getMessage());
        assertTrue(e.hint().contains("more data") && e.hint().contains("design.max_epochs"), e.hint());
        SweepDesign.plan(config(ISOFLOP, "design.budgets=[1e9, 2e10]", "design.max_epochs=20")); // knowingly
    }

    @Test
    void aLearningRateRuleSetsEveryRunsLrFromItsNAndSoItsId() {
        SweepConfig c = config(ISOFLOP);
        SweepPlan fixed = SweepDesign.plan(c);
        SweepPlan ruled = SweepDesign.plan(c, n -> 0.1 * Math.pow(n, -0.25));
        for (int i = 0; i < fixed.runs().size(); i++) {
            PlannedRun r = ruled.runs().get(i);
            double n = r.plan().paramsUsed();
            assertEquals(SweepDesign.roundLr(0.1 * Math.pow(n, -0.25)), r.config().train().optimizer().lr());
            assertNotEquals(fixed.runs().get(i).id(), r.id());
        }
        assertEquals(3.142e-3, SweepDesign.roundLr(Math.PI * 1e-3));
    }

    @Test
    void seedsReplicateEachDesignPoint() {
        SweepPlan p = SweepDesign.plan(config(ISOFLOP, "design.seeds=2"));
        assertEquals(12, p.runs().size());
        Set<Long> seeds = p.runs().stream().map(r -> r.config().seed()).collect(Collectors.toSet());
        assertEquals(Set.of(1234L, 1235L), seeds);
        assertTrue(p.runs().get(1).label().endsWith("seed+1"), p.runs().get(1).label());
    }

    @Test
    void theTuningGridIsSizesTimesLearningRatesAtTheSmallestBudget() {
        SweepPlan t = SweepDesign.tuning(config(ISOFLOP + "tune: {lrs: [0.001, 0.002, 0.004], sizes_per_budget: 2}\n"));
        assertEquals(6, t.runs().size());
        assertTrue(t.runs().stream().allMatch(r -> r.budget() == 1e9));
        assertEquals(Set.of(0.001, 0.002, 0.004), t.runs().stream().map(r -> r.config().train().optimizer().lr())
                .collect(Collectors.toSet()));
        assertEquals(2, t.runs().stream().map(r -> r.plan().shape()).distinct().count());
    }

    @Test
    void tuneMicroBatchesSplitEachBatchWithoutChangingStepsTokensOrValidationWindows() {
        String tune = "tune: {lrs: [0.001, 0.002, 0.004], sizes_per_budget: 2}\n";
        SweepPlan whole = SweepDesign.tuning(config(ISOFLOP + tune, "base.train.final_eval_batches=5"));
        SweepPlan split = SweepDesign.tuning(config(ISOFLOP + tune, "base.train.final_eval_batches=5",
                "tune.micro_batches=2"));
        for (int i = 0; i < whole.runs().size(); i++) {
            org.scalinglab.config.TrainConfig a = whole.runs().get(i).config().train();
            org.scalinglab.config.TrainConfig b = split.runs().get(i).config().train();
            assertEquals(4, a.batchSize());
            assertEquals(1, a.gradAccum());
            assertEquals(2, b.batchSize());
            assertEquals(2, b.gradAccum(), "grad_accum >= 2: the run measures the gradient noise scale");
            assertEquals(a.sequencesPerStep(), b.sequencesPerStep());
            assertEquals(a.evalWindows(), b.evalWindows());
            assertEquals(a.finalEvalWindows(), b.finalEvalWindows());
            assertEquals(whole.runs().get(i).plan().steps(), split.runs().get(i).plan().steps());
            assertEquals(whole.runs().get(i).plan().tokens(), split.runs().get(i).plan().tokens());
        }
        assertEquals(1, SweepDesign.plan(config(ISOFLOP + tune, "tune.micro_batches=2")).runs().get(0).config().train()
                .gradAccum(), "the design's runs keep the base batch");
        ScalingLabException e = org.junit.jupiter.api.Assertions.assertThrows(ScalingLabException.class,
                () -> SweepDesign.tuning(config(ISOFLOP + tune, "tune.micro_batches=3")));
        assertEquals(ExitCode.CONFIG, e.exitCode());
        assertTrue(e.getMessage().contains("tune.micro_batches (3) must divide base.train.batch_size (4)"),
                e.getMessage());
    }

    @Test
    void theCheckBudgetIsAMultipleOfTheLargestAndItsSizesBracketTheFittedOptimum() {
        SweepConfig c = config(ISOFLOP + "check: {compute_factor: 3, sizes: 3}\n", "design.max_epochs=100");
        assertEquals(6e9, SweepDesign.checkBudget(c));
        double nOpt = SweepDesign.expectedOptimum(c, 6e9);
        SweepPlan p = SweepDesign.check(c, nOpt, null);
        assertEquals(3, p.runs().size());
        assertTrue(p.runs().get(0).plan().paramsUsed() < nOpt && nOpt < p.runs().get(2).plan().paramsUsed());
        ScalingLabException e = org.junit.jupiter.api.Assertions.assertThrows(ScalingLabException.class,
                () -> SweepDesign.check(c, 1e9, null));
        assertTrue(e.getMessage().contains("lies above the ladder"), e.getMessage());
        assertTrue(e.hint().contains("add larger shapes"), e.hint());
    }

    @Test
    void aFixedCheckTrainsTheSameRunsWhateverTheFitAndTheStudySeed() {
        String check = "check: {compute_factor: 3, depths: [4, 2, 3], seed: 7}\n";
        SweepConfig c = config(ISOFLOP + check, "design.max_epochs=100");
        SweepPlan a = SweepDesign.check(c, 1e3, null);
        SweepPlan b = SweepDesign.check(c, 1e9, null); // a fitted optimum far off the ladder does not matter
        assertEquals(List.of(2, 3, 4), a.runs().stream().map(r -> r.config().model().layers()).toList(),
                "the listed depths, in ladder order");
        assertEquals(a.runs().stream().map(PlannedRun::id).toList(), b.runs().stream().map(PlannedRun::id).toList());
        assertTrue(a.runs().stream().allMatch(r -> r.config().seed() == 7 && r.config().train().flops() == 6e9),
                "the check's own seed, at the check budget");
        SweepConfig otherSeed = config(ISOFLOP + check, "design.max_epochs=100", "base.seed=99");
        assertEquals(a.runs().stream().map(PlannedRun::id).toList(),
                SweepDesign.check(otherSeed, 1e5, null).runs().stream().map(PlannedRun::id).toList(),
                "another study seed scores against the same check runs");
        assertNotEquals(SweepDesign.plan(c).runs().get(0).id(), SweepDesign.plan(otherSeed).runs().get(0).id(),
                "while its design runs are its own");
        SweepConfig unfixed = config(ISOFLOP + "check: {compute_factor: 3, depths: [4, 2, 3]}\n",
                "design.max_epochs=100", "base.seed=99");
        assertTrue(SweepDesign.check(unfixed, 1e5, null).runs().stream().allMatch(r -> r.config().seed() == 99),
                "without check.seed the check runs take base.seed");

        ScalingLabException e = org.junit.jupiter.api.Assertions.assertThrows(ScalingLabException.class,
                () -> SweepDesign.check(config(ISOFLOP + "check: {compute_factor: 3, depths: [2, 3, 9]}\n",
                        "design.max_epochs=100"), 1e5, null));
        assertTrue(e.getMessage().contains("check.depths lists 9 layers, which no ladder shape has"), e.getMessage());
        for (String bad : List.of("[2, 3]", "[2, 3, 3]")) {
            e = org.junit.jupiter.api.Assertions.assertThrows(ScalingLabException.class,
                    () -> config(ISOFLOP + "check: {compute_factor: 3, depths: " + bad + "}\n"));
            assertEquals(ExitCode.CONFIG, e.exitCode());
            assertTrue(e.getMessage().contains("check.depths"), e.getMessage());
        }
    }

    @Test
    void aSweepFileExtendsAnotherAndKeepsItsOwnName(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("parent.yaml"), BASE + ISOFLOP + "name: parent\n");
        Files.createDirectories(dir.resolve("sub"));
        Path child = Files.writeString(dir.resolve("sub/child.yaml"), "extends: ../parent.yaml\ncheck: {compute_factor: 2}\n");
        SweepConfig c = SweepConfig.load(child, List.of());
        assertEquals("child", c.name());
        assertEquals(2, c.check().computeFactor());
        assertEquals(List.of(1e9, 2e9), c.design().budgets());
        Files.writeString(dir.resolve("loop.yaml"), "extends: loop.yaml\n");
        ScalingLabException e = org.junit.jupiter.api.Assertions.assertThrows(ScalingLabException.class,
                () -> SweepConfig.load(dir.resolve("loop.yaml"), List.of()));
        assertTrue(e.getMessage().contains("extends itself"), e.getMessage());
    }
}
