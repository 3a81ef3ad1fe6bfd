package org.scalinglab.fit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.scalinglab.fit.approach.ParametricLaw;
import org.scalinglab.fit.input.RunPoint;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.input.TrainingCurve;
import org.scalinglab.io.Json;

/** Synthetic data from known laws with seeded noise, and run folders in the trainer's format. */
public final class Planted {
    /** Chinchilla's published fit (Hoffmann et al. 2022, eq. 10): a = 0.4516. */
    public static final ParametricLaw CHINCHILLA = new ParametricLaw(1.69, 406.4, 410.7, 0.34, 0.28);
    /** The chinchilla_a4 FLOPs per token per parameter that written run folders record (chinchilla's are 6). */
    public static final double A4_PER_PARAM = 5.7;

    private Planted() {}

    /**
     * An IsoFLOP design: at each budget, {@code sizes} model sizes log-spaced over {@code spanDecades}
     * centred on the law's N_opt(C), loss times exp(N(0, noise)).
     */
    public static RunTable isoFlop(ParametricLaw law, double[] budgets, int sizes, double spanDecades, double noise, long seed) {
        return isoFlopDrifting(law, budgets, sizes, spanDecades, noise, 0, seed);
    }

    /**
     * As {@link #isoFlop}, but the sizes are centred off the optimum by a shift that grows from
     * -drift to +drift decades across the budgets: the design of a sweep that assumed the wrong exponent.
     */
    public static RunTable isoFlopDrifting(ParametricLaw law, double[] budgets, int sizes, double spanDecades,
            double noise, double driftDecades, long seed) {
        Random rng = new Random(seed);
        List<RunPoint> pts = new ArrayList<>();
        for (int b = 0; b < budgets.length; b++) {
            double c = budgets[b];
            double shift = budgets.length > 1 ? driftDecades * (2.0 * b / (budgets.length - 1) - 1) : 0;
            double centre = Math.log10(law.optimalParams(c)) + shift;
            for (int k = 0; k < sizes; k++) {
                double n = Math.pow(10, centre - spanDecades / 2 + spanDecades * k / (sizes - 1));
                double d = c / (6 * n);
                double loss = law.loss(n, d) * Math.exp(noise * rng.nextGaussian());
                pts.add(new RunPoint(String.format(Locale.ROOT, "c%.2g-n%.3g", c, n), n, d, c, loss, c, null));
            }
        }
        return RunTable.of(pts);
    }

    public static double[] budgets(double from, double factor, int count) {
        double[] b = new double[count];
        for (int i = 0; i < count; i++) {
            b[i] = from * Math.pow(factor, i);
        }
        return b;
    }

    /**
     * Runs whose training curves follow the law: run i has N_i (log-spaced) and is evaluated at
     * {@code evals} log-spaced token counts up to its final D; the loss at D_t is L(N, D_t), as if every
     * prefix were a finished run (the envelope is then the law's compute-optimal frontier).
     */
    public static RunTable curves(ParametricLaw law, double nMin, double nMax, int runs, double cMax, int evals, double noise,
            long seed) {
        Random rng = new Random(seed);
        List<RunPoint> pts = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            double n = nMin * Math.pow(nMax / nMin, i / (double) (runs - 1));
            double dMax = cMax / (6 * n);
            double dMin = dMax / 1e4;
            double[] fl = new double[evals];
            double[] tk = new double[evals];
            double[] ls = new double[evals];
            for (int k = 0; k < evals; k++) {
                double d = dMin * Math.pow(dMax / dMin, k / (double) (evals - 1));
                tk[k] = d;
                fl[k] = 6 * n * d;
                ls[k] = law.loss(n, d) * Math.exp(noise * rng.nextGaussian());
            }
            pts.add(new RunPoint("run" + i, n, dMax, 6 * n * dMax, ls[evals - 1], Double.NaN,
                    new TrainingCurve(fl, tk, ls)));
        }
        return RunTable.of(pts);
    }

    /**
     * Writes run folders in the trainer's format ({@code <dir>/runs/<id>/result.json} and metrics.csv)
     * for an IsoFLOP design of the given law; N is the "total" count, non-embedding is 90 % of it.
     */
    public static void writeSweep(Path dir, ParametricLaw law, double[] budgets, int sizes, double span, double noise,
            long seed) throws IOException {
        RunTable t = isoFlop(law, budgets, sizes, span, noise, seed);
        int i = 0;
        for (RunPoint p : t.points()) {
            writeRun(dir.resolve("runs").resolve(String.format(Locale.ROOT, "r%03d", i++)), p, "completed", law);
        }
    }

    public static void writeRun(Path runDir, RunPoint p, String status, ParametricLaw law) throws IOException {
        Files.createDirectories(runDir);
        String id = runDir.getFileName().toString();
        ObjectNode j = Json.mapper().createObjectNode();
        j.put("run_id", id);
        j.put("status", status);
        j.put("message", status.equals("completed") ? "" : "loss became NaN at step 300");
        ObjectNode params = j.putObject("params");
        params.put("total", (long) p.params());
        params.put("non_embedding", (long) (0.9 * p.params()));
        params.put("non_embedding_with_head", (long) (0.95 * p.params()));
        j.put("tokens", (long) p.tokens());
        j.put("steps", 1000);
        j.put("epochs", 0.5);
        ObjectNode flops = j.putObject("flops");
        flops.put("kaplan", 6 * 0.9 * p.params() * p.tokens());
        flops.put("chinchilla", 6 * p.params() * p.tokens());
        flops.put("chinchilla_a4", A4_PER_PARAM * p.params() * p.tokens());
        // per token, as the trainer records them; metrics.csv has no chinchilla_a4 column, readers use this
        ObjectNode perToken = j.putObject("flops_per_token");
        perToken.put("kaplan", 6 * 0.9 * p.params());
        perToken.put("chinchilla", 6 * p.params());
        perToken.put("chinchilla_a4", A4_PER_PARAM * p.params());
        if (Double.isFinite(p.budget())) {
            j.put("budget", p.budget());
        } else {
            j.putNull("budget");
        }
        if (status.equals("completed")) {
            j.put("final_val_loss", p.loss());
        } else {
            j.putNull("final_val_loss");
        }
        j.put("final_train_loss", p.loss());
        j.put("wall_seconds", 10.0);
        j.put("precision", "fp32");
        j.put("finished_at", "2026-11-22T18:00:00Z");
        Files.writeString(runDir.resolve("result.json"), Json.write(j));
        StringBuilder m = new StringBuilder(
                "step,tokens,flops_kaplan,flops_chinchilla,train_loss,val_loss,lr,grad_norm,loss_scale,tokens_per_s,mfu,mem_mb,elapsed_s\n");
        int evals = 12;
        for (int k = 1; k <= evals * 2; k++) {
            double d = p.tokens() * Math.pow(1e-2, 1 - k / (double) (evals * 2));
            boolean eval = k % 2 == 0;
            double loss = law.loss(p.params(), d);
            m.append(String.format(Locale.ROOT, "%d,%d,%.6g,%.6g,%.6f,%s,0.001,1.0,,1000,0.1,100,%d%n", k * 10, (long) d,
                    6 * 0.9 * p.params() * d, 6 * p.params() * d, loss,
                    eval ? String.format(Locale.ROOT, "%.6f", loss) : "", k));
        }
        Files.writeString(runDir.resolve("metrics.csv"), m.toString());
    }
}
