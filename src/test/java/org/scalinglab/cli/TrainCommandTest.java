package org.scalinglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ScalingLab.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    Path config(String yaml) throws IOException {
        return Files.writeString(dir.resolve("c.yaml"), yaml);
    }

    static final String TINY = """
            device: cpu
            model: {context: 16, d_model: 16, layers: 1, heads: 1}
            train: {batch_size: 4, steps: 12, log_every: 4, eval_every: 6, eval_batches: 2}
            """;

    @Test
    void trainPrintsThePlanThenRowsAndWritesTheRunFolder() throws IOException {
        Run r = cli("train", config(TINY).toString(), "--out", dir.resolve("run").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("N = "), r.out());
        assertTrue(r.out().contains("D = "), r.out());
        assertTrue(r.out().contains("C = "), r.out());
        assertTrue(r.out().contains("D/N = "), r.out());
        assertTrue(r.out().contains("completed"), r.out());
        for (String f : new String[] {"run.json", "metrics.csv", "result.json"}) {
            assertTrue(Files.isRegularFile(dir.resolve("run").resolve(f)), f);
        }
    }

    @Test
    void badConfigIsOneLineWithExitCode3() throws IOException {
        Run r = cli("train", config("train: {steps: 10, batch_sise: 3}").toString());
        assertEquals(3, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("train.batch_sise"), r.err());
        assertFalse(r.err().contains("at org."), "no stack trace");
        assertEquals(3, cli("train", dir.resolve("missing.yaml").toString()).code());
    }

    @Test
    void overridesAreApplied() throws IOException {
        Run r = cli("train", config(TINY).toString(), "--set", "model.layers=x", "--out", dir.resolve("r").toString());
        assertEquals(3, r.code());
        assertTrue(r.err().contains("model.layers"), r.err());
    }

    @Test
    void unwritableOutputIsExitCode5() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "");
        Run r = cli("train", config(TINY).toString(), "--out", file.resolve("run").toString());
        assertEquals(5, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void divergedRunIsExitCode7() throws IOException {
        Run r = cli("train", config(TINY).toString(), "--set", "train.optimizer.lr=50", "--set",
                "train.optimizer.grad_clip=0", "--set", "train.steps=40", "--out", dir.resolve("d").toString());
        assertEquals(7, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("diverged"), r.err());
    }

    @Test
    void unknownCommandIsUsageError() {
        assertEquals(2, cli("frobnicate").code());
        assertEquals(2, cli("train").code());
    }
}
