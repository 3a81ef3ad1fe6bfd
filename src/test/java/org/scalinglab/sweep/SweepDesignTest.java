package org.scalinglab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.ConfigLoader;
import org.scalinglab.config.ModelConfig;
import org.scalinglab.config.StrictYaml;
import org.scalinglab.config.TrainConfig.ScheduleKind;
import org.scalinglab.model.Flops;
import org.scalinglab.train.RunPlan;

/** Plan arithmetic: N, D, C of each run, the IsoFLOP size choice, the grid, WSD branches, refusals. */
class SweepDesignTest {
    /** Context 16 and batch 4: 64 tokens per step. */
    static final String BASE = """
            base:
              device: cpu
              model: {context: 16}
              train: {batch_size: 4}
            """;

    static SweepPlan plan(String yaml, String... sets) {
        try {
            JsonNode tree = StrictYaml.mapper().readTree(BASE + yaml);
            return SweepDesign.plan(SweepConfig.resolve(tree, List.of(sets)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String refused(String yaml, String... sets) {
        ScalingLabException e = assertThrows(ScalingLabException.class, () -> plan(yaml, sets));
        assertEquals(ExitCode.CONFIG, e.exitCode(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    static final String GRID = """
            ladder: {shapes: [{layers: 1, d_model: 16, heads: 1}, {layers: 2, d_model: 32, heads: 2}]}
            design: {kind: grid, tokens: [1e4, 2e4]}
            """;

    @Test
    void gridRunsHaveTheirSizesTokensAndFlopsByHand() {
        SweepPlan p = plan(GRID);
        assertEquals(4, p.runs().size());
        PlannedRun r = p.runs().get(0);
        assertEquals("L1-d16-h1 D=9984", r.label());
        // L1, d 16, vocab 256, context 16: per layer 3d^2+3d + d^2+d + 4d^2+4d + 4d^2+d + 4d = 3280, final LayerNorm 32
        assertEquals(3312, r.plan().params().nonEmbedding());
        assertEquals(3312 + 256 * 16, r.plan().params().nonEmbeddingWithHead());
        assertEquals(3312 + 256 * 16 + 16 * 16, r.plan().params().total());
        // 1e4 tokens at 64 per step round to 156 steps; the schedule spans exactly those steps
        assertEquals(156, r.plan().steps());
        assertEquals(9984, r.plan().tokens());
        // Chinchilla appendix F per token for this shape: 3 x 377,600 forward FLOPs per 16-token sequence / 16
        assertEquals(70_800, r.plan().flopsPerToken().chinchilla());
        assertEquals(9984.0 * 70_800, r.plan().flopsChinchilla());
        assertEquals(9984.0 * (6 * 3312 + 6 * 16 * 16), r.plan().flopsKaplan());
        assertEquals(9984 / (3312.0 + 256 * 16 + 16 * 16), r.plan().tokensPerParam(), 1e-12, "D over total N");
        assertEquals(r.config().id(), r.id());
        assertNull(r.budget());
        assertEquals("L2-d32-h2 D=20.0k", p.runs().get(3).label());
        assertEquals(4, p.runs().stream().map(PlannedRun::id).distinct().count());
        assertTrue(p.runs().stream().allMatch(x -> x.config().name().equals("sweep")));
    }

    @Test
    void tokensPerParamScalesWithEachShapesN() {
        SweepPlan p = plan(GRID, "design.tokens=[]", "design.tokens_per_param=[20]");
        for (PlannedRun r : p.runs()) {
            long n = r.plan().params().total();
            assertEquals(Math.round(20.0 * n / 64) * 64, r.plan().tokens());
        }
    }

    @Test
    void ladderRuleGivesWidthPerLayerAndHeadDim() {
        SweepPlan p = plan("""
                ladder: {rule: {depths: [4, 1, 2], width_per_layer: 64, head_dim: 64}}
                design: {kind: grid, tokens: [1e5]}
                """);
        List<ModelConfig> shapes = p.ladder().shapes();
        assertEquals(List.of(64, 128, 256), shapes.stream().map(ModelConfig::dModel).toList(), "smallest first");
        assertEquals(List.of(1, 2, 4), shapes.stream().map(ModelConfig::heads).toList());
        assertEquals(List.of(1, 2, 4), shapes.stream().map(ModelConfig::layers).toList());
        assertTrue(shapes.stream().allMatch(m -> m.context() == 16 && m.mlpRatio() == 4));
    }

    @Test
    void optimumInterpolatesLogNAgainstLogC() {
        double[] n = {1e3, 1e4, 1e5};
        double[] c = {1e8, 1e10, 1e12};
        assertEquals(Math.sqrt(10) * 1e4, IsoFlopSizes.optimumN(n, c, 1e11), 1e-6);
        assertEquals(1e4, IsoFlopSizes.optimumN(n, c, 1e10), 1e-6);
        assertEquals(1e6, IsoFlopSizes.optimumN(n, c, 1e14), 1e-3, "extrapolates the last segment");
        assertEquals(1e2, IsoFlopSizes.optimumN(n, c, 1e6), 1e-6, "and the first");
        assertEquals(2e3, IsoFlopSizes.optimumN(new double[] {1e3}, new double[] {1e8}, 4e8), 1e-6, "C ~ N^2 for one");
    }

    @Test
    void isoflopSizesAreDistinctAndSpacedAroundTheOptimum() {
        double[] n = new double[11];
        for (int i = 0; i < n.length; i++) {
            n[i] = Math.pow(2, i);
        }
        assertEquals(List.of(3, 4, 5, 6, 7), IsoFlopSizes.bracketing(n, 32, 5, 2));
        assertEquals(List.of(2, 4, 6, 8), IsoFlopSizes.bracketing(n, 32, 4, 4));
        assertEquals(List.of(0, 1, 2), IsoFlopSizes.bracketing(n, 2, 3, 2));
        // a coarse ladder: the nearest distinct shapes, still on both sides
        assertEquals(List.of(4, 5, 6), IsoFlopSizes.bracketing(n, 40, 3, 1.1));
        IllegalArgumentException above = assertThrows(IllegalArgumentException.class,
                () -> IsoFlopSizes.bracketing(n, 4000, 5, 2));
        assertTrue(above.getMessage().contains("too few shapes above"), above.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IsoFlopSizes.bracketing(n, 0.2, 3, 2));
    }

    static final String ISO = """
            ladder: {rule: {depths: [1, 2, 3, 4, 5, 6], width_per_layer: 16, head_dim: 16}}
            design: {kind: isoflop, budgets: [1e11, 3e10], sizes_per_budget: 3, spread: 2, min_steps: 0,
                     min_tokens_per_param: 0}
            """;

    /**
     * A budget trains only the sizes in the law's regime (enough steps and tokens per parameter),
     * chosen among them around N*; plan names the others and why; with fewer than 3 it is refused.
     */
    @Test
    void isoflopBudgetsKeepOnlyTheSizesInTheLawsRegime() {
        SweepPlan p = plan(ISO, "design.min_steps=500");
        List<String> at3e10 = p.runs().stream().filter(r -> r.budget() == 3e10)
                .map(r -> r.plan().shape().label().replaceAll("-T\\d+$", "")).toList();
        assertEquals(List.of("L1-d16-h1", "L2-d32-h2", "L3-d48-h3"), at3e10, "L4 (328 steps) and above left out");
        for (PlannedRun r : p.runs()) {
            assertTrue(r.plan().steps() >= 500, r.label() + ": " + r.plan().steps() + " steps");
        }
        String note = p.notes().stream().filter(n -> n.contains("3.00e10") && n.contains("regime")).findFirst()
                .orElseThrow();
        assertTrue(note.contains("3 of 6 ladder shapes are in the law's regime (>= 500 steps and D/N >= 0)")
                && note.contains("L4-d64-h4 (328 steps"), note);

        String m = refused(ISO, "design.min_steps=500", "design.min_tokens_per_param=4");
        assertTrue(m.contains("design.budgets[1] = 3.00e10: only 1 ladder shape(s) train in the law's regime")
                && m.contains("L2-d32-h2 (1812 steps, D/N 3.4)"), m);

        // design.min_sizes 2 keeps a small budget whose larger shapes would train too few steps
        m = refused(ISO, "design.min_steps=1500");
        assertTrue(m.contains("only 2 ladder shape(s) train in the law's regime") && m.contains("fewer than the 3 "
                + "design.min_sizes asks for (an IsoFLOP profile needs 3)"), m);
        List<String> kept = plan(ISO, "design.min_steps=1500", "design.min_sizes=2").runs().stream()
                .filter(r -> r.budget() == 3e10).map(r -> r.plan().shape().label().replaceAll("-T\\d+$", "")).toList();
        assertEquals(List.of("L1-d16-h1", "L2-d32-h2"), kept);
        assertTrue(refused(ISO, "design.min_sizes=1").contains("design.min_sizes"));
    }

    @Test
    void isoflopRunsGetTheirBudgetAndTokensFromTheirOwnFlopsPerToken() {
        SweepPlan p = plan(ISO);
        assertEquals(6, p.runs().size());
        assertEquals(List.of(3e10, 3e10, 3e10, 1e11, 1e11, 1e11), p.runs().stream().map(PlannedRun::budget).toList(),
                "budgets in increasing order");
        for (PlannedRun r : p.runs()) {
            double c = r.budget();
            assertEquals(c, r.config().train().flops());
            double perToken = Flops.chinchilla(r.plan().shape());
            assertEquals(Math.round(c / perToken / 64) * 64, r.plan().tokens());
            assertEquals(c, r.plan().flopsChinchilla(), c * 64 * perToken / c / r.plan().tokens() + 0.01 * c);
        }
        for (double c : List.of(3e10, 1e11)) {
            List<Long> ns = p.runs().stream().filter(r -> r.budget() == c).map(r -> r.plan().params().nonEmbedding())
                    .toList();
            assertEquals(3, Set.copyOf(ns).size(), "distinct sizes");
            assertTrue(ns.get(0) < ns.get(1) && ns.get(1) < ns.get(2));
            // the centre size is the ladder shape nearest the rule's optimum: C = F(N) x 20 x N
            double nStar = nStar(p, c);
            assertTrue(ns.get(0) < nStar && nStar < ns.get(2), ns + " around " + nStar);
        }
        assertEquals(2, p.notes().size());
        assertTrue(p.notes().get(0).startsWith("budget 3.00e10: expected optimum N* = "), p.notes().get(0));
    }

    /** N* by bisection on the ladder's piecewise log-linear C_opt(N), computed independently. */
    private static double nStar(SweepPlan p, double c) {
        List<double[]> pts = p.ladder().shapes().stream().map(m -> {
            double n = p.ladder().params(m, p.base().train().paramsConvention());
            return new double[] {n, Flops.chinchilla(p.ladder().shape(m)) * 20 * n};
        }).toList();
        for (int i = 1; i < pts.size(); i++) {
            double[] a = pts.get(i - 1);
            double[] b = pts.get(i);
            if (c <= b[1] && c >= a[1]) {
                double t = Math.log(c / a[1]) / Math.log(b[1] / a[1]);
                return Math.exp(Math.log(a[0]) + t * Math.log(b[0] / a[0]));
            }
        }
        throw new IllegalStateException("budget outside the ladder");
    }

    @Test
    void impossiblePlansAreRefusedWithTheReason() {
        String m = refused(GRID, "design.tokens=[10]");
        assertTrue(m.contains("fewer than one batch (64"), m);
        assertTrue(m.contains("design.tokens[0]"), m);
        m = refused(ISO, "base.train.batch_size=16384");
        assertTrue(m.contains("fewer than one batch (262144"), m);
        m = refused(ISO, "design.budgets=[1e7]");
        assertTrue(m.contains("design.budgets[0]") && m.contains("lies below the ladder"), m);
        m = refused(ISO, "design.sizes_per_budget=7");
        assertTrue(m.contains("fewer than the 7 sizes"), m);
        m = refused(ISO, "design.budgets=[1e15]");
        assertTrue(m.contains("design.budgets[0]") && m.contains("lies above the ladder"), m);
        m = refused(GRID, "design.tokens=[1e4, 1e4]");
        assertTrue(m.contains("twice"), m);
    }

    @Test
    void wsdBranchesShareTheWarmupAndStartWhereTheirCooldownBegins() {
        SweepPlan p = plan("""
                ladder: {shapes: [{layers: 1, d_model: 16, heads: 1}]}
                design: {kind: wsd, tokens: [12800, 3200, 6400]}
                """);
        assertEquals(3, p.runs().size());
        PlannedRun trunk = p.runs().get(2);
        assertEquals(200, trunk.plan().steps());
        assertNull(trunk.branch());
        // 20% cooldowns: the 50-step run decays from step 40, the 100-step one from 80
        assertEquals(List.of(40L, 80L), trunk.keepCheckpointsAt());
        assertEquals(new PlannedRun.Branch(trunk.id(), 40), p.runs().get(0).branch());
        assertEquals(new PlannedRun.Branch(trunk.id(), 80), p.runs().get(1).branch());
        for (PlannedRun r : p.runs()) {
            assertEquals(ScheduleKind.WSD, r.config().train().schedule().kind());
            assertEquals(5, r.config().train().schedule().warmupSteps(), "10% of the shortest run, for all");
            assertEquals(5, r.plan().warmupSteps());
        }
        assertNotEquals(trunk.id(), p.runs().get(0).id());
        m(refused("""
                ladder: {shapes: [{layers: 1, d_model: 16, heads: 1}]}
                design: {kind: wsd, tokens: [3200, 3210]}
                """), "same number of steps");
        m(refused("""
                base: {train: {schedule: {warmup_steps: 60}}}
                ladder: {shapes: [{layers: 1, d_model: 16, heads: 1}]}
                design: {kind: wsd, tokens: [3200, 6400]}
                """), "no more than its warmup");
    }

    private static void m(String message, String part) {
        assertTrue(message.contains(part), message);
    }

    @Test
    void runConfigYamlReadsBackToTheSameRunId() throws IOException {
        for (PlannedRun r : plan(ISO).runs()) {
            java.nio.file.Path f = java.nio.file.Files.createTempFile("run", ".yaml");
            try {
                java.nio.file.Files.writeString(f, SweepRunFolder.yaml(r.config()));
                assertEquals(r.id(), ConfigLoader.load(f, List.of()).id());
                assertEquals(r.plan(), RunPlan.of(ConfigLoader.load(f, List.of()), 256));
            } finally {
                java.nio.file.Files.delete(f);
            }
        }
        Set<String> labels = plan(ISO).runs().stream().map(PlannedRun::label).collect(Collectors.toSet());
        assertTrue(labels.contains("L2-d32-h2 C=3e10"), labels.toString());
    }
}
