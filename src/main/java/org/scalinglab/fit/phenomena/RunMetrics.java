package org.scalinglab.fit.phenomena;

import static org.scalinglab.train.runfolder.MetricsCsv.cell;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.io.Json;
import org.scalinglab.train.runfolder.MetricsCsv;
import org.scalinglab.train.runfolder.MetricsRow;
import org.scalinglab.train.runfolder.RunFolder;
import org.scalinglab.train.runfolder.RunFolders;
import org.scalinglab.train.runfolder.RunStatus;

/**
 * A completed run's evaluations with every metric the trainer records (metrics.csv's {@code val_*}
 * columns, each with its standard error) and its gradient noise scale rows, as the phenomena fits read
 * them. Read leniently: a run trained before a column existed simply lacks that metric.
 *
 * @param layers transformer blocks (result.json's model), 0 when unknown
 * @param tokensPerStep training tokens per optimizer step (tokens / steps)
 * @param evals rows with a validation loss after step 0, in step order
 * @param noise rows with a positive B_simple, in step order
 */
public record RunMetrics(String id, String path, double params, double tokens, double flops, double budget, int layers,
        double tokensPerStep, long steps, double finalLoss, List<Eval> evals, List<Noise> noise) {

    /** One evaluation: cumulative tokens and FLOPs, the loss, and each metric as {value, standard error}. */
    public record Eval(long step, double tokens, double flops, double loss, Map<String, double[]> metrics) {
        public double value(String metric) {
            if (metric.equals(Phenomena.LOSS)) {
                return loss;
            }
            double[] v = metrics.get(metric);
            return v == null ? Double.NaN : v[0];
        }

        public double se(String metric) {
            double[] v = metrics.get(metric);
            return v == null ? Double.NaN : v[1];
        }
    }

    /** One metrics row's noise scale (tokens) and the training loss of the same row. */
    public record Noise(long step, double tokens, double trainLoss, double bSimple) {}

    /** Every completed run under {@code dir} (as {@code fit} finds them), in path order. */
    public static List<RunMetrics> read(Path dir, ParamConvention p, FlopConvention f) {
        List<RunMetrics> out = new ArrayList<>();
        for (RunFolder run : RunFolders.under(dir)) {
            if (!run.hasResult()) {
                continue;
            }
            JsonNode j = Json.readTree(run.resultJson());
            if (!RunStatus.COMPLETED.toString().equals(j.path("status").asText())) {
                continue;
            }
            String rel = dir.relativize(run.dir()).toString();
            String id = j.path("run_id").asText(run.id());
            double n = j.path("params").path(p.jsonKey()).asDouble(Double.NaN);
            double perToken = j.path("flops_per_token").path(f.key()).asDouble(Double.NaN);
            long steps = j.path("steps").asLong(0);
            double tokens = j.path("tokens").asDouble(Double.NaN);
            List<Eval> evals = new ArrayList<>();
            List<Noise> noise = new ArrayList<>();
            // a file being appended to can end in half a row: keep what was read
            MetricsCsv csv = run.metrics();
            if (csv != null) {
                readRows(csv, "flops_" + f.key(), perToken, evals, noise);
            }
            out.add(new RunMetrics(id, rel.isEmpty() ? "." : rel, n, tokens,
                    j.path("flops").path(f.key()).asDouble(Double.NaN), j.path("budget").asDouble(Double.NaN),
                    j.path("model").path("layers").asInt(0), steps > 0 ? tokens / steps : Double.NaN, steps,
                    j.path("final_val_loss").asDouble(Double.NaN), evals, noise));
        }
        return out;
    }

    /**
     * {@code runs} and the completed runs of a study's other stages under {@code dir} ({@code tune/},
     * {@code check/}): the gradient noise scale depends on the loss a model has reached, not on the
     * design that trained it, so B_crit(L) takes every run that measured it (a study may measure it in
     * its tune runs only, which train in micro-batches: tune.micro_batches).
     */
    public static List<RunMetrics> withStages(Path dir, List<RunMetrics> runs, ParamConvention p, FlopConvention f) {
        List<RunMetrics> all = new ArrayList<>(runs);
        for (Path stage : RunFolders.stages(dir)) {
            all.addAll(read(stage, p, f));
        }
        return all;
    }

    private static void readRows(MetricsCsv csv, String flopsCol, double perToken, List<Eval> evals,
            List<Noise> noise) {
        for (Map<String, String> r : csv.rows()) {
            long step = (long) cell(r, "step");
            double tokens = cell(r, "tokens");
            double flops = r.containsKey(flopsCol) ? cell(r, flopsCol) : tokens * perToken;
            double val = cell(r, "val_loss");
            if (step > 0 && Double.isFinite(val) && flops > 0) {
                Map<String, double[]> m = new LinkedHashMap<>();
                for (String k : MetricsRow.METRICS) {
                    double v = cell(r, k);
                    if (Double.isFinite(v)) {
                        m.put(k, new double[] {v, cell(r, k + "_se")});
                    }
                }
                evals.add(new Eval(step, tokens, flops, val, m));
            }
            double b = cell(r, "b_simple");
            double train = cell(r, "train_loss");
            if (b > 0 && Double.isFinite(train)) {
                noise.add(new Noise(step, tokens, train, b));
            }
        }
    }
}
