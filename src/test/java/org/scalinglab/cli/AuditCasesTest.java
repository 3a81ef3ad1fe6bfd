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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.ExitCode;
import org.scalinglab.fit.Planted;
import org.scalinglab.sweep.SweepFixtures;

/**
 * The cases of the fault, bad-input and injection audit (issue 24), one row each: the command, its
 * input (the fixtures below), the exit code the README's table gives it, and a fragment of the one
 * line it prints. Every failing case prints exactly one line, "scalinglab: error: ...", with no stack
 * trace and no text of a file that is not what the command reads (SECRET, root:). Nothing here trains
 * more than a few steps of a one-layer model, so the next audit can start from this table.
 */
class AuditCasesTest {
    @TempDir
    static Path dir;

    /** One audit case: {@code fragment} is in the error line (or, for exit 0, in stdout). */
    record Case(String input, int code, String fragment, String... args) {
        @Override
        public String toString() {
            return String.join(" ", args) + " [" + input + "] -> " + code;
        }
    }

    static String run;
    static String grid;
    static String csv;
    static String fits;
    static String planted;
    static String fifo;

    @BeforeAll
    static void fixtures() throws Exception {
        run = write("run.yaml", """
                device: cpu
                model: {context: 16, d_model: 16, layers: 1, heads: 1}
                train: {batch_size: 4, steps: 8, eval_every: 4, eval_batches: 1, log_every: 2, checkpoint_every: 4}
                """);
        grid = write("grid.yaml", SweepFixtures.grid(dir.resolve("results"), 640, ""));
        Path sweep = dir.resolve("planted");
        Planted.writeSweep(sweep, Planted.CHINCHILLA, Planted.budgets(1e18, 4, 4), 6, 1.5, 0.003, 1);
        planted = sweep.toString();
        fits = FitCli.plantedFits(dir);
        csv = dir.resolve("runs.csv").toString(); // plantedFits' CSV
        fifo = dir.resolve("fifo").toString();
        Process p = new ProcessBuilder("mkfifo", fifo).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo");
        Files.createDirectories(dir.resolve("a-folder/fits.json")); // --out a-folder: its fits.json is a folder
        write("shadow", "root: $6$SECRETHASH\ndaemon: SECRET value\n"); // a mapping, but of no config's keys
        write("extends-shadow.yaml", "name: x\nextends: shadow\n");
        write("extends-passwd.yaml", "name: x\nextends: /etc/passwd\n");
        write("alias.yaml", "device: &d cpu\nname: *d\n");
        write("two-documents.yaml", "name: a\n---\nname: b\n");
        write("deep-flow.yaml", "name: " + "[".repeat(2000) + "]".repeat(2000) + "\n");
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            deep.append(" ".repeat(i)).append("a:\n");
        }
        write("deep-block.yaml", deep.toString());
        write("steps-1e1.yaml", Files.readString(Path.of(run)).replace("steps: 8", "steps: 1e1"));
        write("slurm-newline.yaml", SweepFixtures.grid(dir.resolve("results"), 640, "")
                + "slurm: {partition: \"debug\\ntouch PWNED\"}\n");
        write("slurm-subst.yaml", SweepFixtures.grid(dir.resolve("results"), 640, "")
                + "slurm: {account: \"$(touch PWNED)\"}\n");

        // run folders a reader must report, not drop: result.json as a folder, as a FIFO, truncated
        for (String kind : List.of("result-folder", "result-fifo", "result-truncated")) {
            Path copy = dir.resolve(kind);
            copyTree(sweep, copy);
            Path result = copy.resolve("runs/r000/result.json");
            Files.delete(result);
            switch (kind) {
                case "result-folder" -> Files.createDirectories(result);
                case "result-fifo" -> new ProcessBuilder("mkfifo", result.toString()).start().waitFor();
                default -> Files.writeString(result, "{\"run_id\": \"r000\", \"status\": \"compl");
            }
        }
        // checkpoints that cannot be read: random bytes, nothing
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        Files.write(Files.createDirectories(dir.resolve("ckpt-random")).resolve("checkpoint.bin"), noise);
        Files.write(Files.createDirectories(dir.resolve("ckpt-empty")).resolve("checkpoint.bin"), new byte[0]);
        // a metrics.csv shorter than its checkpoint: train 8 steps keeping the checkpoint, then cut it
        Path shortRun = dir.resolve("metrics-short");
        assertEquals(0, cli("train", run, "--out", shortRun.toString(), "--set", "train.keep_final_checkpoint=true")
                .code);
        Files.delete(shortRun.resolve("result.json"));
        String metrics = Files.readString(shortRun.resolve("metrics.csv"));
        Files.writeString(shortRun.resolve("metrics.csv"), metrics.substring(0, metrics.indexOf('\n') + 1));
    }

    static List<Case> cases() {
        String d = dir.toString();
        return List.of(
                // runs that never end: refused at the config boundary, before any loop
                new Case("run.yaml", 3, "'train.tokens' is not a finite number", "train", run, "--set",
                        "train.steps=null", "--set", "train.tokens=1e400"),
                new Case("run.yaml", 3, "more than a run can count", "train", run, "--set", "train.steps=null",
                        "--set", "train.flops=1e300"),
                new Case("run.yaml", 3, "'train.steps' must be at most", "train", run, "--set", "train.steps=1e15"),
                new Case("grid.yaml", 3, "'design.tokens[0]' is not a finite number", "plan", grid, "--no-probe",
                        "--set", "design.tokens=[1e400]"),
                new Case("grid.yaml", 3, "more than a run can count", "plan", grid, "--no-probe", "--set",
                        "design.tokens=[1e300]"),
                new Case("grid.yaml", 3, "'tune.lrs[0]' is not a finite number", "plan", grid, "--no-probe", "--set",
                        "tune.lrs=[1e400,0.01,0.02]"),
                new Case("grid.yaml", 3, "'tune.lrs[0]' is not a finite number", "sweep", grid, "--set",
                        "tune.lrs=[1e400,0.01,0.02]"),
                // optimizer values that train nothing or switch a check off
                new Case("run.yaml", 3, "'train.optimizer.eps'", "train", run, "--set", "train.optimizer.eps=1e400"),
                new Case("run.yaml", 3, "'train.optimizer.eps'", "train", run, "--set", "train.optimizer.eps=1e300"),
                new Case("run.yaml", 3, "'train.optimizer.weight_decay'", "train", run, "--set",
                        "train.optimizer.weight_decay=1e300"),
                new Case("run.yaml", 3, "'train.optimizer.grad_clip'", "train", run, "--set",
                        "train.optimizer.grad_clip=1e400"),
                new Case("run.yaml", 3, "'train.divergence_factor'", "train", run, "--set",
                        "train.divergence_factor=1e400"),
                new Case("run.yaml", 3, "'train.divergence_factor'", "train", run, "--set",
                        "train.divergence_factor=1e300"),
                // YAML
                new Case("alias.yaml", 3, "uses a YAML alias", "train", d + "/alias.yaml"),
                new Case("two-documents.yaml", 3, "more than one YAML document", "train", d + "/two-documents.yaml"),
                new Case("deep-flow.yaml", 3, "levels deep", "train", d + "/deep-flow.yaml"),
                new Case("deep-block.yaml", 3, "levels deep", "train", d + "/deep-block.yaml"),
                new Case("run.yaml", 3, "levels deep", "train", run, "--set", "train=" + "[".repeat(3000)
                        + "]".repeat(3000)),
                new Case("run.yaml", 3, "contains a control character", "train", run, "--set",
                        "name=\"a\\nb\""),
                // files that are not configs: named, never quoted
                new Case("extends: shadow", 3, "is not a sweep config", "plan", d + "/extends-shadow.yaml", "--no-probe"),
                new Case("extends: /etc/passwd", 3, "/etc/passwd", "plan", d + "/extends-passwd.yaml",
                        "--no-probe"),
                new Case("shadow", 3, "is not a run config", "train", d + "/shadow"),
                new Case("shadow", 4, "not valid JSON", "predict", "--fit", d + "/shadow", "--compute", "1e21"),
                // values that reach the sbatch script
                new Case("slurm.partition with a newline", 3, "'slurm.partition' contains a control character",
                        "plan", d + "/slurm-newline.yaml", "--no-probe"),
                new Case("slurm.partition with a newline", 3, "'slurm.partition'", "sweep",
                        d + "/slurm-newline.yaml", "--executor", "slurm"),
                new Case("slurm.account with $()", 3, "'slurm.account' must be an account name", "sweep",
                        d + "/slurm-subst.yaml", "--executor", "slurm"),
                // --out writes only regular files (a folder given to --out gets the command's file inside it)
                new Case("runs.csv", 5, "it is a character device", "fit", csv, "--out", "/dev/null"),
                new Case("runs.csv", 5, "it is a FIFO", "fit", csv, "--out", fifo),
                new Case("runs.csv", 5, "it is a folder", "fit", csv, "--out", d + "/a-folder"),
                new Case("planted sweep", 5, "it is a character device", "validate", planted, "--out", "/dev/null"),
                new Case("planted sweep", 5, "it is a FIFO", "phenomena", planted, "--out", fifo),
                new Case("planted sweep", 4, "is a character device, not a fits file", "report", planted, "--fit",
                        "/dev/zero", "--out", d + "/report"),
                new Case("fits.json", 4, "is a FIFO (named pipe), not a fits file", "predict", "--fit", fifo,
                        "--compute", "1e21"),
                // readers: exit 4 for what cannot be read, and nothing dropped without a word
                new Case("checkpoint.bin of random bytes", 4, "checkpoint", "train", run, "--out",
                        d + "/ckpt-random"),
                new Case("empty checkpoint.bin", 4, "checkpoint", "train", run, "--out", d + "/ckpt-empty"),
                new Case("metrics.csv cut to its header", 4, "is shorter than its checkpoint", "train", run, "--out",
                        d + "/metrics-short", "--set", "train.keep_final_checkpoint=true"),
                new Case("result.json is a folder", 4, "result.json is a folder", "fit", d + "/result-folder"),
                new Case("result.json is a FIFO", 4, "result.json is a FIFO", "fit", d + "/result-fifo"),
                new Case("result.json truncated", 4, "ends early", "fit", d + "/result-truncated"),
                // options out of range
                new Case("fits.json", 2, "must be finite numbers >= 1", "predict", "--fit", fits, "--params",
                        "1e-300", "--tokens", "1e-300"),
                new Case("runs.csv", 2, "--window must be a number of sizes", "fit", csv, "--window", "0"),
                new Case("-", 2, "--steps must be >= 1", "bench", "--steps", "-1", "--device", "cpu", "--out",
                        d + "/bench"),
                new Case("-", 2, "--steps must be >= 1", "bench", "--steps", "0", "--device", "cpu", "--out",
                        d + "/bench"),
                new Case("-", 2, "--warmup must be >= 0", "bench", "--warmup", "-1", "--device", "cpu"),
                new Case("-", 2, "--packed takes process counts", "bench", "--packed", "0", "--device", "cpu"),
                new Case("-", 2, "--trace-every must be >= 0", "bench", "--trace-every", "-5", "--device", "cpu"),
                new Case("-", 2, "--precisions bf16 is not available", "bench", "--precisions", "bf16", "--device",
                        "cpu"),
                new Case("-", 2, "--precisions fp16 needs a CUDA GPU", "bench", "--precisions", "fp16", "--device",
                        "cpu"),
                // what works
                new Case("-", 0, "Usage: scalinglab doctor", "doctor", "--help"),
                new Case("steps: 1e1", 0, "(10 steps x 64)", "train", d + "/steps-1e1.yaml", "--out", d + "/t10"));
    }

    @TestFactory
    Stream<DynamicTest> everyAuditCaseIsOneLineWithItsExitCode() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(c)));
    }

    private static void check(Case c) {
        Result r = cli(c.args());
        String where = c + "\nstdout: " + r.out + "\nstderr: " + r.err;
        assertEquals(c.code(), r.code, where);
        for (String secret : List.of("SECRET", "root:", "Exception", "\tat ")) {
            assertFalse(r.err.contains(secret), "'" + secret + "' printed: " + where);
        }
        assertFalse(Files.exists(dir.resolve("PWNED")), where);
        if (c.code() == 0) {
            assertTrue(r.out.contains(c.fragment()), where);
            return;
        }
        String e = r.err.strip();
        assertFalse(e.contains("\n"), "one line: " + where);
        assertTrue(e.startsWith("scalinglab: error: "), where);
        assertTrue(e.contains(c.fragment()), "'" + c.fragment() + "' in: " + where);
        assertFalse(e.contains("--out /dev/"), "no hint to write to a device: " + where);
        if (c.code() == ExitCode.USAGE.code()) {
            assertFalse(Files.exists(dir.resolve("bench/bench.csv")), "no worker ran: " + where);
        }
    }

    record Result(int code, String out, String err) {}

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ScalingLab.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    private static String write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text).toString();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
