package org.scalinglab.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.fit.Planted;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.approach.ParametricFit;
import org.scalinglab.fit.approach.ParametricLaw;
import org.scalinglab.fit.input.ReadOptions;
import org.scalinglab.fit.input.RunPoint;
import org.scalinglab.fit.input.RunTableReader;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.law.FitSettings;
import org.scalinglab.fit.optim.Bootstrap;
import org.scalinglab.fit.optim.StartGrid;
import org.scalinglab.fit.output.FitsJson;
import org.scalinglab.fit.run.FitRunner;
import org.scalinglab.fit.run.HoldoutValidation;
import org.scalinglab.fit.uncertainty.ValidationReport;
import org.scalinglab.io.Json;
import org.scalinglab.study.Analysis;

/**
 * Run folders in the trainer's format from a planted law, so report tests never train: result.json and
 * metrics.csv from {@link Planted}, plus a run.json with the provenance a real run records.
 */
final class ReportFixtures {
    /** A small start grid for approach 3: these tests are about drawing, not about the grid. */
    static final StartGrid SMALL = new StartGrid(new double[] {0.3, 0.6}, new double[] {0.3, 0.6},
            new double[] {0, 1}, new double[] {0, 10}, new double[] {0, 10});
    static final ParametricFit SMALL_FIT = ParametricFit.chinchilla().withGrid(SMALL);
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final String DATA_SHA = "33d2eceb2b3a9ebfb84ae9e95bcdc0938282d2b8214ebc88a2b7c194cb2e72c6";

    private ReportFixtures() {}

    /**
     * An IsoFLOP sweep of the Chinchilla law: 4 budgets from 1e18 (x4 each), 6 sizes over 1.5 decades
     * around each optimum, 0.3 % noise; one diverged run; and one still training (run.json and a
     * metrics.csv whose last row is half written, no result.json).
     */
    static Path sweep(Path dir) {
        try {
            Planted.writeSweep(dir, Planted.CHINCHILLA, Planted.budgets(1e18, 4, 4), 6, 1.5, 0.003, 11);
            Planted.writeRun(dir.resolve("runs/r999"), new RunPoint("r999", 3e8, 5e8, 9e17, 4.2, 1e18, null),
                    "diverged", Planted.CHINCHILLA);
            Path running = dir.resolve("runs/r998");
            Planted.writeRun(running, new RunPoint("r998", 2e8, 5e10, 6e19, 2.7, 6.4e19, null), "completed",
                    Planted.CHINCHILLA);
            try (Stream<Path> s = Files.list(dir.resolve("runs"))) {
                for (Path run : s.sorted().toList()) {
                    writeRunJson(run);
                }
            }
            addPhenomena(dir);
            Files.delete(running.resolve("result.json"));
            String m = Files.readString(running.resolve("metrics.csv"));
            Files.writeString(running.resolve("metrics.csv"), m.substring(0, m.length() * 2 / 3));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Adds to every metrics.csv the columns the trainer records beside the loss, planted as functions of each
     * row's loss: accuracy 0.6 sigmoid(-5 (L - 2.6)) + 0.05, exact match of k tokens accuracy^(1 + 0.6 (k - 1)),
     * edit distance 1 - accuracy^0.5 (times a factor that shrinks with k), Brier score 1 - 0.8 accuracy, and
     * B_simple = 2e5 L^-4 tokens (alpha_B 0.25).
     */
    static void addPhenomena(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path csv : s.filter(p -> p.getFileName().toString().equals("metrics.csv")).sorted().toList()) {
                List<String> lines = Files.readAllLines(csv);
                StringBuilder out = new StringBuilder(lines.get(0));
                List<String> cols = new java.util.ArrayList<>(List.of("val_acc", "val_brier"));
                for (int k : new int[] {1, 2, 4, 8, 16}) {
                    cols.add("val_em_" + k);
                }
                for (int k : new int[] {1, 2, 4, 8, 16}) {
                    cols.add("val_edit_" + k);
                }
                for (String c : cols) {
                    out.append(',').append(c).append(',').append(c).append("_se");
                }
                out.append(",b_simple\n");
                for (String line : lines.subList(1, lines.size())) {
                    String[] cells = line.split(",", -1);
                    out.append(line);
                    double val = cells[5].isEmpty() ? Double.NaN : Double.parseDouble(cells[5]);
                    double acc = 0.6 / (1 + Math.exp(5 * (val - 2.6))) + 0.05;
                    for (String c : cols) {
                        double v;
                        if (c.equals("val_acc")) {
                            v = acc;
                        } else if (c.equals("val_brier")) {
                            v = 1 - 0.8 * acc;
                        } else if (c.startsWith("val_em_")) {
                            v = Math.pow(acc, 1 + 0.6 * (Integer.parseInt(c.substring(7)) - 1));
                        } else {
                            v = (1 - Math.sqrt(acc)) * (1 - 0.1 / Integer.parseInt(c.substring(9)));
                        }
                        out.append(Double.isNaN(val) ? ",," : String.format(Locale.ROOT, ",%.6g,%.3g", v, 0.01 * v + 1e-4));
                    }
                    double train = Double.parseDouble(cells[4]);
                    out.append(String.format(Locale.ROOT, ",%.6g%n", 2e5 * Math.pow(train, -4)));
                }
                Files.writeString(csv, out.toString());
            }
        }
    }

    /** Runs at scattered N and D (no IsoFLOP design): approach 2 has no budgets to fit. */
    static Path scattered(Path dir, int runs) {
        Random rng = new Random(5);
        ParametricLaw law = Planted.CHINCHILLA;
        try {
            for (int i = 0; i < runs; i++) {
                double n = Math.pow(10, 7.5 + 2 * rng.nextDouble());
                double d = Math.pow(10, 9 + 2 * rng.nextDouble());
                RunPoint p = new RunPoint("s" + i, n, d, 6 * n * d, law.loss(n, d) * Math.exp(0.003 * rng.nextGaussian()),
                        Double.NaN, null);
                Path run = dir.resolve(String.format(Locale.ROOT, "runs/s%02d", i));
                Planted.writeRun(run, p, "completed", law);
                writeRunJson(run);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Two budgets whose sizes all lie below the law's optimum: every IsoFLOP minimum is at the edge, so
     * approach 2 cannot be fitted.
     */
    static Path edgeSweep(Path dir) {
        ParametricLaw law = Planted.CHINCHILLA;
        try {
            int i = 0;
            for (double c : new double[] {1e18, 1e19}) {
                double opt = law.optimalParams(c);
                for (double f : new double[] {0.02, 0.05, 0.1, 0.2, 0.4}) {
                    double n = f * opt;
                    double d = c / (6 * n);
                    Path run = dir.resolve(String.format(Locale.ROOT, "runs/e%02d", i++));
                    Planted.writeRun(run, new RunPoint(run.getFileName().toString(), n, d, c, law.loss(n, d), c, null),
                            "completed", law);
                    writeRunJson(run);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A run.json like the trainer's: config with the model shape, derived sizes, data and provenance. */
    static void writeRunJson(Path run) throws IOException {
        ObjectNode result = (ObjectNode) Json.readTree(run.resolve("result.json"));
        long n = result.path("params").path("total").asLong();
        int width = (int) Math.max(64, Math.round(Math.sqrt(n / 12.0 / 8) / 64) * 64);
        ObjectNode j = Json.mapper().createObjectNode();
        j.put("run_id", result.path("run_id").asText());
        ObjectNode model = j.putObject("config").putObject("model");
        model.put("context", 1024);
        model.put("d_model", width);
        model.put("layers", 8);
        model.put("heads", Math.max(1, width / 64));
        ObjectNode derived = j.putObject("derived");
        derived.set("params", result.path("params"));
        derived.set("tokens", result.path("tokens"));
        derived.set("flops", result.path("flops"));
        ObjectNode data = j.putObject("data");
        data.put("source", "embedded");
        data.put("name", "commons-math3-3.6.1 sources");
        data.put("sha256", DATA_SHA);
        ObjectNode prov = j.putObject("provenance");
        prov.put("git_commit", COMMIT);
        prov.put("git_dirty", false);
        prov.put("scalinglab_version", "0.1.0-SNAPSHOT");
        prov.put("java", "17.0.15 (Debian)");
        prov.put("djl", "0.35.1");
        prov.put("libtorch", "2.7.1");
        prov.put("libtorch_flavor", "cu124");
        prov.put("device", "gpu(0)");
        prov.put("gpu", "NVIDIA H100 80GB HBM3");
        prov.put("gpu_driver", "550.54.15");
        prov.put("cpu", "AMD EPYC");
        prov.put("cores", 16);
        prov.put("host", "node17");
        j.put("started_at", "2026-11-22T17:00:00Z");
        Files.writeString(run.resolve("run.json"), Json.write(j));
    }

    /** fits.json of approach all with a modest bootstrap, written into {@code dir}. */
    static FitReport writeFits(Path dir, int bootstrap) {
        FitReport r = new FitRunner(FitSettings.defaults().withBootstrap(bootstrap)).withParametricFit(SMALL_FIT)
                .run(RunTableReader.readResultsDir(dir, ReadOptions.defaults()));
        FitsJson.write(dir.resolve("fits.json"), r);
        return r;
    }

    /** phenomena.json as the study's phenomena step writes it. */
    static void writePhenomena(Path dir, int bootstrap) {
        Analysis.phenomena(dir, ParamConvention.DEFAULT, FlopConvention.DEFAULT, bootstrap, Bootstrap.DEFAULT_SEED,
                Bootstrap.DEFAULT_LEVEL, null, dir.resolve("phenomena.json"), false, new PrintWriter(Writer.nullWriter()));
    }

    static ValidationReport writeValidation(Path dir, int bootstrap) {
        ValidationReport v = new HoldoutValidation(Approach.PARAMETRIC, "top-budget",
                FitSettings.defaults().withBootstrap(bootstrap)).withParametricFit(SMALL_FIT)
                .validate(RunTableReader.readResultsDir(dir, ReadOptions.defaults()));
        Json.writeAtomically(dir.resolve("validation.json"), v);
        return v;
    }

    static List<String> figureStems() {
        return List.of("1a-loss-vs-tokens", "1b-loss-vs-flops", "2-isoflop-profiles", "3a-n-opt", "3b-d-opt",
                "4-loss-frontier", "5-loss-contours", "6-holdout-validation", "7a-loss-residuals",
                "7b-allocation-residuals", "10-forecast", "11a-emergence", "11b-metrics-vs-loss",
                "12a-broken-frontier", "12b-broken-per-budget", "13a-noise-scale", "13b-critical-batch");
    }
}
