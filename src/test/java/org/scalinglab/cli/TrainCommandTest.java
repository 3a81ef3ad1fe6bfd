package org.scalinglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.io.FolderLock;
import org.scalinglab.io.JvmLauncher;
import org.scalinglab.sweep.SweepFixtures;

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
        // the CPU kernel paths that made these numbers, and who chose each
        com.fasterxml.jackson.databind.JsonNode k = org.scalinglab.io.Json.readTree(dir.resolve("run/run.json"))
                .path("provenance").path("cpu_kernels");
        assertEquals(3, k.size(), k.toString());
        for (com.fasterxml.jackson.databind.JsonNode s : k) {
            String user = System.getenv(s.path("variable").asText());
            assertEquals(user == null ? "scalinglab" : "user", s.path("source").asText(), k.toString());
            assertEquals(user == null ? org.scalinglab.engine.CpuKernels.PINNED.get(s.path("variable").asText()) : user,
                    s.path("value").asText(), k.toString());
        }
    }

    /**
     * A worker process pins the kernel paths itself (setenv in its parent is not inherited) and keeps
     * a value the user exported, recording which was which.
     */
    @Test
    void aChildProcessPinsTheKernelsAndKeepsTheUsersOwn() throws Exception {
        Path run = dir.resolve("child");
        List<String> cmd = JvmLauncher.current(List.of()).command(List.of("train", config(TINY).toString(), "--out",
                run.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        org.scalinglab.engine.CpuKernels.PINNED.keySet().forEach(pb.environment()::remove);
        pb.environment().remove(org.scalinglab.engine.CpuKernels.MODE_VARIABLE);
        pb.environment().put("ATEN_CPU_CAPABILITY", "default");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        com.fasterxml.jackson.databind.JsonNode k = org.scalinglab.io.Json.readTree(run.resolve("run.json"))
                .path("provenance").path("cpu_kernels");
        assertEquals("[{\"variable\":\"ATEN_CPU_CAPABILITY\",\"value\":\"default\",\"source\":\"user\"},"
                + "{\"variable\":\"MKL_CBWR\",\"value\":\"AVX2,STRICT\",\"source\":\"scalinglab\"},"
                + "{\"variable\":\"ONEDNN_MAX_CPU_ISA\",\"value\":\"AVX2\",\"source\":\"scalinglab\"}]",
                k.toString());
    }

    @Test
    void helpListsTheOptionsWithoutAConfig() {
        Run r = cli("train", "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Usage: scalinglab train") && r.out().contains("--set"), r.out());
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

    /**
     * Two trainers on one folder (a sweep run's config.yaml invites a rerun by hand): the second
     * exits 8 naming the first, which finishes with every metrics row once.
     */
    @Test
    void aSecondTrainerOnTheSameFolderIsRefusedWithExitCode8() throws Exception {
        Path cfg = config(TINY.replace("steps: 12", "steps: 600").replace("eval_every: 6", "eval_every: 300")
                + "threads: 1\n");
        Path run = dir.resolve("run");
        Process first = SweepFixtures.start(dir.resolve("first.log"), "train", cfg.toString(), "--out", run.toString());
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(run.resolve("metrics.csv")) && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(run.resolve("metrics.csv")), Files.readString(dir.resolve("first.log")));
            Run second = cli("train", cfg.toString(), "--out", run.toString());
            assertEquals(8, second.code(), second.out() + second.err());
            assertTrue(second.err().contains("pid " + first.pid()), second.err());
            assertEquals(1, second.err().strip().lines().count(), second.err());
            assertTrue(first.waitFor(300, TimeUnit.SECONDS), Files.readString(dir.resolve("first.log")));
            assertEquals(0, first.exitValue(), Files.readString(dir.resolve("first.log")));
        } finally {
            first.destroyForcibly();
        }
        List<Long> steps = Files.readAllLines(run.resolve("metrics.csv")).stream().skip(1)
                .map(l -> Long.parseLong(l.substring(0, l.indexOf(',')))).toList();
        long expected = 1 + java.util.stream.LongStream.rangeClosed(1, 600).filter(x -> x % 4 == 0 || x % 300 == 0).count();
        assertEquals(expected, steps.size(), "one row per logged step, none lost or doubled");
        for (int i = 1; i < steps.size(); i++) {
            assertTrue(steps.get(i) > steps.get(i - 1), "rows in order: " + steps);
        }
    }

    @Test
    void aTrainerInThisProcessAlsoRespectsTheLock() throws IOException {
        Path run = dir.resolve("held");
        try (FolderLock lock = FolderLock.acquire(run.resolve(".lock"), "run folder " + run)) {
            Run r = cli("train", config(TINY).toString(), "--out", run.toString());
            assertEquals(8, r.code(), r.err());
            assertTrue(r.err().contains("run folder " + run + " is locked"), r.err());
        }
        assertFalse(Files.exists(run.resolve("metrics.csv")), "nothing written under another's lock");
        assertEquals(0, cli("train", config(TINY).toString(), "--out", run.toString()).code(), "free again");
    }

    /**
     * The audit's big model on a small heap ended in a raw OutOfMemoryError and no result: now it is
     * refused at the start, with the numbers, before the parameters are allocated.
     */
    @Test
    void aModelTooBigForTheJvmHeapIsRefusedBeforeItIsBuilt() throws Exception {
        Path run = dir.resolve("big");
        List<String> cmd = JvmLauncher.current(List.of()).withMemory(256L << 20, 256L << 20).command(List.of("train",
                config(TINY).toString(), "--set", "model.d_model=4096", "--out", run.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(3, p.exitValue(), out);
        assertTrue(out.contains("GiB of Java heap") && out.contains("this JVM has 0.3 GiB"), out);
        assertFalse(out.contains("OutOfMemoryError") || out.contains("\tat "), out);
        assertFalse(Files.exists(run.resolve("run.json")), "refused before anything was written");
    }

    @Test
    void aSetWithoutEqualsIsExitCode2() throws IOException {
        Run r = cli("train", config(TINY).toString(), "--set", "model.layers", "--out", dir.resolve("r").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void aWarmupLongerThanTheRunIsExitCode3() throws IOException {
        Run r = cli("train", config(TINY).toString(), "--set", "train.schedule.warmup_steps=500", "--out",
                dir.resolve("w").toString());
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("not shorter than the run's 12 steps"), r.err());
        assertFalse(Files.exists(dir.resolve("w").resolve("metrics.csv")));
    }
}
