package org.scalinglab.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.scalinglab.cli.ScalingLab;
import org.scalinglab.io.Json;
import org.scalinglab.io.JvmLauncher;

/** Tiny sweeps (context 16, d_model 16-24, tens to hundreds of steps) and ways to run the CLI on them. */
public final class SweepFixtures {
    private SweepFixtures() {}

    /** A CLI call's exit code and output. */
    public record Cli(int code, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    public static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ScalingLab.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Cli(code, out.toString(), err.toString());
    }

    /**
     * A two-run grid on the CPU, one thread per run (so results are deterministic), both at once.
     *
     * @param tokens training tokens per run (64 per step)
     */
    public static String grid(Path results, long tokens, String extraTrain) {
        return """
                name: tiny
                results_dir: %s
                base:
                  device: cpu
                  model: {context: 16}
                  train: {batch_size: 4, log_every: 10, eval_every: 50, eval_batches: 2, checkpoint_every: 40%s}
                ladder: {shapes: [{layers: 1, d_model: 16, heads: 1}, {layers: 1, d_model: 24, heads: 2}]}
                design: {kind: grid, tokens: [%d]}
                executor: {devices: cpu, runs_per_device: 2, threads_per_run: 1}
                estimate: {probe_steps: 12}
                """.formatted(results, extraTrain.isEmpty() ? "" : ", " + extraTrain, tokens);
    }

    /**
     * A small text corpus (about 2 MB of repeated English-like lines in a few files), for configs such as
     * isoflop-mini that need {@code base.data.path}; too small for their budgets, so callers raise
     * {@code design.max_epochs} and test only the design's shape.
     */
    public static Path textCorpus(Path dir) throws IOException {
        Path root = Files.createDirectories(dir.resolve("corpus"));
        java.util.Random rnd = new java.util.Random(7);
        String[] words = "the a model loss scales with compute data and parameters of each run in its budget".split(" ");
        for (int f = 0; f < 4; f++) {
            StringBuilder b = new StringBuilder();
            while (b.length() < 500_000) {
                for (int w = 0; w < 12; w++) {
                    b.append(words[rnd.nextInt(words.length)]).append(w == 11 ? ".\n" : " ");
                }
            }
            Files.writeString(root.resolve("part" + f + ".txt"), b);
        }
        return root;
    }

    public static Path write(Path dir, String name, String yaml) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve(name), yaml);
    }

    /** Final validation loss of each run of a sweep folder, by run id. */
    public static Map<String, Double> finalLosses(Path sweepDir) throws IOException {
        Map<String, Double> m = new TreeMap<>();
        try (var s = Files.list(sweepDir.resolve("runs"))) {
            for (Path run : s.toList()) {
                Path result = run.resolve("result.json");
                if (Files.isRegularFile(result)) {
                    JsonNode j = Json.readTree(result);
                    m.put(j.path("run_id").asText(), j.path("final_val_loss").asDouble(Double.NaN));
                }
            }
        }
        return m;
    }

    /** metrics.csv without its timing and memory columns (step .. loss_scale). */
    public static List<String> lossColumns(Path runDir) throws IOException {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(runDir.resolve("metrics.csv"))) {
            out.add(String.join(",", List.of(l.split(",", -1)).subList(0, 9)));
        }
        return out;
    }

    /** {@code scalinglab <args>} in a new JVM, its output to {@code log}. */
    public static Process start(Path log, String... args) throws IOException {
        List<String> cmd = JvmLauncher.current(List.of()).command(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
