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
