package org.scalinglab.sweep;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.DataConfig.DataSource;
import org.scalinglab.config.TrainConfig.Precision;
import org.scalinglab.io.JvmLauncher;
import org.scalinglab.sweep.SweepConfig.DesignKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


/** The sweeps in configs/ plan as shipped, and quickstart and isoflop-mini have the shape of a study (docs/studies.md). */
class ShippedConfigsTest {
    private static final Path CONFIGS = Path.of("configs");

    static Planner.Report plan(String name, String... overrides) {
        SweepConfig c = SweepConfig.load(CONFIGS.resolve(name), List.of(overrides));
        return Planner.plan(c, Planner.Probe.OFF, JvmLauncher.current(List.of()), new PrintWriter(new StringWriter()));
    }

    /** Budget -> the non-embedding N of its runs, ascending. */
    static Map<Double, List<Long>> sizes(SweepPlan p) {
        return p.runs().stream().collect(Collectors.groupingBy(PlannedRun::budget, TreeMap::new,
                Collectors.mapping(r -> r.plan().params().nonEmbedding(), Collectors.toList())));
    }

    @TempDir
    Path dir;

    @Test
    void everySweepInConfigsPlans() throws IOException {
        String corpus = "base.data.path=" + SweepFixtures.textCorpus(dir);
        try (var files = Files.list(CONFIGS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                if (!Files.readString(f).contains("\ndesign:")) {
                    continue; // a run config, such as tiny-cpu.yaml
                }
                // a config that needs a corpus gets a small one, and only its design's shape is checked here
                Planner.Report r = Files.readString(f).contains("source: text")
                        ? plan(f.getFileName().toString(), corpus, "design.max_epochs=1000")
                        : plan(f.getFileName().toString());
                assertTrue(r.plan().runs().size() >= 4, f.toString());
            }
        }
    }

    @Test
    void quickstartIsAnIsoflopOfThreeBudgetsByFiveSizesOnTheEmbeddedCorpusOnTheCpuOrAGpu() {
        SweepPlan p = plan("quickstart.yaml").plan();
        assertEquals(DesignKind.ISOFLOP, p.sweep().design().kind());
        assertEquals("auto", p.base().device(), "the CPU by default, CUDA when present");
        assertEquals(DataSource.EMBEDDED, p.base().data().source());
        assertEquals(Precision.FP32, p.base().train().precision());
        Map<Double, List<Long>> sizes = sizes(p);
        assertEquals(3, sizes.size());
        for (List<Long> n : sizes.values()) {
            assertTrue(n.size() >= 3 && n.size() <= 5, "3 to 5 sizes per budget: " + n);
            assertTrue(n.get(n.size() - 1) >= 5 * n.get(0), "N varies over 5x or more: " + n);
        }
        // every run in the law's regime: the sizes that would still be in early training are left out
        for (PlannedRun r : p.runs()) {
            assertTrue(r.plan().steps() >= 500 && r.plan().tokens() >= 4.0 * r.plan().paramsUsed(), r.label());
        }
    }

    /**
     * The reference study (docs/studies.md): 4 budgets 8x apart, every run in the law's regime, and its
     * check at 10x the largest budget is a fixed ground truth that brackets the measured optimum (N 232k)
     * and is the same four runs for another base.seed, whose design runs are its own.
     */
    @Test
    void referenceChecksTenfoldOnFixedRunsWhateverTheSeed() {
        SweepConfig c = SweepConfig.load(CONFIGS.resolve("reference.yaml"), List.of());
        SweepPlan design = SweepDesign.plan(c);
        assertEquals(15, design.runs().size());
        assertEquals(4, sizes(design).size());
        assertEquals(8, c.design().budgets().stream().max(Double::compare).orElseThrow()
                / c.design().budgets().stream().min(Double::compare).orElseThrow(), 1e-9);
        for (PlannedRun r : design.runs()) {
            assertTrue(r.plan().steps() >= 500 && r.plan().tokens() >= 4.0 * r.plan().paramsUsed(), r.label());
        }
        SweepPlan check = SweepDesign.check(c, 1e5, null);
        assertEquals(1.2e13, SweepDesign.checkBudget(c));
        List<Long> n = check.runs().stream().map(r -> r.plan().paramsUsed()).toList();
        assertTrue(n.get(0) < 232_000 && n.get(n.size() - 1) > 232_000, "brackets the measured optimum: " + n);
        assertTrue(check.runs().stream().allMatch(r -> r.epochs() < 1), "no check run repeats data");
        SweepConfig other = SweepConfig.load(CONFIGS.resolve("reference.yaml"), List.of("base.seed=1235"));
        assertEquals(check.runs().stream().map(PlannedRun::id).toList(),
                SweepDesign.check(other, 3e5, null).runs().stream().map(PlannedRun::id).toList());
        assertTrue(java.util.Collections.disjoint(design.runs().stream().map(PlannedRun::id).toList(),
                SweepDesign.plan(other).runs().stream().map(PlannedRun::id).toList()));
    }

    @Test
    void isoflopMiniIsAStudyOnAGivenCorpusWithItsTenfoldCheckAndFitsAnHourOnOneGpu() throws IOException {
        assertThrows(ScalingLabException.class, () -> plan("isoflop-mini.yaml"), "it names no corpus of its own");
        // the corpus here is far too small for its budgets: max_epochs is raised to see the design only
        Planner.Report r = plan("isoflop-mini.yaml", "base.data.path=" + SweepFixtures.textCorpus(dir),
                "design.max_epochs=1000");
        SweepPlan p = r.plan();
        assertTrue(p.base().device().startsWith("gpu"));
        assertEquals(Precision.FP16, p.base().train().precision());
        assertEquals(DataSource.TEXT, p.base().data().source());
        Map<Double, List<Long>> sizes = sizes(p);
        assertEquals(5, sizes.size());
        List<Double> budgets = List.copyOf(sizes.keySet());
        assertTrue(budgets.get(4) / budgets.get(0) >= 16, "approach 3 needs a range of compute: " + budgets);
        assertTrue(sizes.values().stream().allMatch(n -> n.size() >= 3 && n.size() <= 5), sizes.toString());
        for (PlannedRun run : p.runs()) {
            assertTrue(run.plan().steps() >= 500 && run.plan().tokens() >= 4.0 * run.plan().paramsUsed(), run.label());
        }
        assertTrue(p.sweep().tune().enabled() && p.sweep().check().enabled(), "tuned, and checked at 10x");
        assertEquals(10.0, p.sweep().check().computeFactor());
        assertTrue(r.wallSeconds() < 30 * 60, "design estimated " + r.wallSeconds() + " s on one GPU");
    }
}
