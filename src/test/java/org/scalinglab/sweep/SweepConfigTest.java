package org.scalinglab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.sweep.SweepConfig.DesignKind;

/** Sweep configs: defaults, and errors that name the key path, one line each. */
class SweepConfigTest {
    @TempDir
    Path dir;

    static final String OK = """
            ladder: {shapes: [{layers: 1, d_model: 16, heads: 1}, {layers: 2, d_model: 32, heads: 2, mlp_ratio: 2}]}
            design: {kind: grid, tokens: [1e4]}
            """;

    SweepConfig load(String yaml, String... sets) throws IOException {
        return SweepConfig.load(Files.writeString(dir.resolve("my-sweep.yaml"), yaml), List.of(sets));
    }

    /** Loads and plans; asserts a one-line config error (exit 3) and returns its message. */
    String fails(String yaml, String... sets) throws IOException {
        ScalingLabException e = assertThrows(ScalingLabException.class, () -> SweepDesign.plan(load(yaml, sets)));
        assertEquals(ExitCode.CONFIG, e.exitCode(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void defaultsFillEverythingAndTheNameIsTheFileStem() throws IOException {
        SweepConfig c = load(OK);
        assertEquals("my-sweep", c.name());
        assertEquals(Path.of("results", "my-sweep"), c.folder());
        assertEquals(DesignKind.GRID, c.design().kind());
        assertEquals(5, c.design().sizesPerBudget());
        assertEquals(20.0, c.design().optimumTokensPerParam());
        assertEquals(0, c.executor().runsPerDeviceSetting(), "unset");
        assertNull(c.executor().devices());
        assertNull(c.ladder().shapes().get(0).mlpRatio(), "an explicit shape may leave mlp_ratio out");
        assertEquals(2, c.ladder().shapes().get(1).mlpRatio());
        assertEquals(-1, load(OK, "executor.runs_per_device=auto").executor().runsPerDeviceSetting());
        assertEquals(3, load(OK, "executor.runs_per_device=3").executor().runsPerDeviceSetting());
        assertEquals(1e4, c.design().tokens().get(0));
    }

    @Test
    void unknownKeysAndWrongTypesNameTheirPath() throws IOException {
        assertTrue(fails(OK + "desing: {}").contains("'desing'"));
        assertTrue(fails(OK, "design.budget=[1e12]").contains("'design.budget'"));
        assertTrue(fails(OK, "design.sizes_per_budget=many").contains("design.sizes_per_budget"));
        assertTrue(fails(OK, "ladder.shapes[0]=x").contains("ladder.shapes"));
        String m = fails("""
                ladder: {shapes: [{layers: 1, d_model: 16, heads: 1}, {layers: 2, d_model: 32, head: 2}]}
                design: {kind: grid, tokens: [1e4]}
                """);
        assertTrue(m.contains("ladder.shapes[1].head"), m);
        assertTrue(fails(OK, "design.kind=isoflops").contains("design.kind"));
        assertTrue(fails(OK, "executor.runs_per_device=0").contains("executor.runs_per_device"));
        assertTrue(fails(OK, "executor.devices=tpu").contains("executor.devices"));
        assertTrue(fails(OK, "slurm.time_limit=soon").contains("slurm.time_limit"));
    }

    @Test
    void rangesAndRelationsNameTheirPath() throws IOException {
        assertTrue(fails("""
                ladder: {shapes: [{layers: 1, d_model: 30, heads: 4}]}
                design: {kind: grid, tokens: [1e4]}
                """).contains("ladder.shapes[0].heads"));
        assertTrue(fails(OK, "ladder.rule.depths=[1, 2]").contains("given twice"));
        assertTrue(fails("design: {kind: grid, tokens: [1e4]}").contains("ladder is empty"));
        assertTrue(fails(OK, "design.tokens_per_param=[20]").contains("exactly one of design.tokens"));
        assertTrue(fails(OK, "design.tokens=[-5]").contains("design.tokens[0]"));
        assertTrue(fails(OK, "design.kind=isoflop").contains("design.budgets"));
        assertTrue(fails(OK, "design.kind=isoflop", "design.budgets=[1e12]").contains("design.tokens"),
                "an isoflop design derives tokens from budgets");
        assertTrue(fails(OK, "design.budgets=[1e12]").contains("design.budgets"));
        assertTrue(fails(OK, "name=a/b").contains("'name'"));
    }

    @Test
    void baseRunConfigErrorsNameTheirPathUnderBase() throws IOException {
        String m = fails(OK + "base: {train: {batch_sise: 4}}");
        assertTrue(m.contains("'base.train.batch_sise'"), m);
        m = fails(OK + "base: {train: {optimizer: {lr: -1}}}");
        assertTrue(m.contains("'base.train.optimizer.lr'"), m);
        m = fails(OK + "base: {train: {steps: 100}}");
        assertTrue(m.contains("'base.train.steps' is set by the design"), m);
        m = fails(OK + "base: {model: {d_model: 64}}");
        assertTrue(m.contains("'base.model.d_model' is set by the ladder"), m);
        m = fails(OK + "base: {device: tpu}");
        assertTrue(m.contains("'base.device'"), m);
    }
}
