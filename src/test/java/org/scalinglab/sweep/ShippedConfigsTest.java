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
import org.scalinglab.config.DataConfig.DataSource;
import org.scalinglab.config.TrainConfig.Precision;
import org.scalinglab.io.JvmLauncher;
import org.scalinglab.sweep.SweepConfig.DesignKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


/** The sweeps in configs/ plan as shipped, and quickstart and isoflop-mini have the shape the issue asks for. */
class ShippedConfigsTest {
    private static final Path CONFIGS = Path.of("configs");

    static Planner.Report plan(String name) {
        SweepConfig c = SweepConfig.load(CONFIGS.resolve(name), List.of());
        return Planner.plan(c, Planner.Probe.OFF, JvmLauncher.current(List.of()), new PrintWriter(new StringWriter()));
    }

    /** Budget -> the non-embedding N of its runs, ascending. */
    static Map<Double, List<Long>> sizes(SweepPlan p) {
        return p.runs().stream().collect(Collectors.groupingBy(PlannedRun::budget, TreeMap::new,
                Collectors.mapping(r -> r.plan().params().nonEmbedding(), Collectors.toList())));
    }

    @Test
    void everySweepInConfigsPlans() throws IOException {
        try (var files = Files.list(CONFIGS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                if (!Files.readString(f).contains("\ndesign:")) {
                    continue; // a run config, such as tiny-cpu.yaml
                }
                Planner.Report r = plan(f.getFileName().toString());
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
            assertEquals(5, n.size());
            assertTrue(n.get(4) >= 10 * n.get(0), "N varies over ~16x: " + n);
        }
    }

    @Test
    void isoflopMiniHasFiveBudgetsOverTwoOrdersOfMagnitudeAndFitsHalfAnHourOnOneGpu() {
        Planner.Report r = plan("isoflop-mini.yaml");
        SweepPlan p = r.plan();
        assertTrue(p.base().device().startsWith("gpu"));
        assertTrue(p.base().train().precision() == Precision.FP16 || p.base().train().precision() == Precision.TF32);
        assertEquals(DataSource.EMBEDDED, p.base().data().source(), "works as shipped, without a data folder");
        Map<Double, List<Long>> sizes = sizes(p);
        assertTrue(sizes.size() >= 5);
        List<Double> budgets = List.copyOf(sizes.keySet());
        assertTrue(budgets.get(budgets.size() - 1) / budgets.get(0) >= 100, budgets.toString());
        assertTrue(sizes.values().stream().allMatch(n -> n.size() >= 5));
        assertTrue(r.wallSeconds() < 30 * 60, "estimated " + r.wallSeconds() + " s on one GPU");
    }
}
