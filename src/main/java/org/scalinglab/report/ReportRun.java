package org.scalinglab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.io.Json;
import org.scalinglab.train.runfolder.MetricsCsv;
import org.scalinglab.train.runfolder.RunFolder;
import org.scalinglab.train.runfolder.RunFolders;
import org.scalinglab.train.runfolder.RunRecords.Derived;
import org.scalinglab.train.runfolder.RunRecords.RunInfo;
import org.scalinglab.train.runfolder.RunRecords.RunResult;
import org.scalinglab.train.runfolder.RunRecords;
import org.scalinglab.train.runfolder.RunStatus;

/**
 * One run folder as the report shows it: what its result.json says (null while a run is still going),
 * what its run.json recorded before training (config, provenance, data fingerprint), and the metrics.csv
 * curve, all read by {@link RunFolder}. Shown leniently: a missing value is NaN or "" (the tables print
 * "-"), never an error, and a number result.json lacks is taken from run.json's derived sizes.
 *
 * @param result result.json, or null
 * @param info run.json, or null
 * @param curve the metrics.csv curve, or null when there is none or it cannot be read
 */
record ReportRun(String id, String path, RunResult result, RunInfo info, Curve curve) {

    /** metrics.csv columns the figures use; NaN where a row has no value (val_loss between evaluations). */
    record Curve(double[] tokens, double[] flopsKaplan, double[] flopsChinchilla, double[] trainLoss, double[] valLoss) {
        int size() {
            return tokens.length;
        }

        /** metrics.csv's column of a convention; null for chinchilla_a4, which has none (see {@link #curveFlops}). */
        double[] flops(FlopConvention convention) {
            return switch (convention) {
                case KAPLAN -> flopsKaplan;
                case CHINCHILLA -> flopsChinchilla;
                case CHINCHILLA_A4 -> null;
            };
        }
    }

    /** The curve's cumulative FLOPs in a convention: its metrics.csv column, else tokens x flops_per_token. */
    double[] curveFlops(FlopConvention convention) {
        double[] column = curve.flops(convention);
        if (column != null) {
            return column;
        }
        double perToken = number(
                RunRecords.perToken(result == null ? null : result.compute().flopsPerToken(), convention),
                RunRecords.perToken(derived() == null ? null : derived().flopsPerToken(), convention));
        return Arrays.stream(curve.tokens()).map(t -> t * perToken).toArray();
    }

    static ReportRun read(RunFolder folder, String relPath) {
        RunResult result = folder.result();
        RunInfo info = folder.info();
        String fallback = folder.dir().getFileName() == null ? relPath : folder.id();
        String id = result != null && result.runId() != null ? result.runId()
                : info != null && info.runId() != null ? info.runId() : fallback;
        return new ReportRun(id, relPath, result, info, readCurve(folder.metrics()));
    }

    /** completed, diverged, failed from result.json (unknown when it has none); running when there is no result.json. */
    String status() {
        return result == null ? RunStatus.RUNNING.key() : result.status().key();
    }

    boolean completed() {
        return result != null && result.completed();
    }

    String message() {
        return result == null ? "" : result.message();
    }

    private Derived derived() {
        return info == null ? null : info.derived();
    }

    /** N in a parameter convention's result.json key, falling back to run.json's derived counts. */
    double params(String key) {
        return number(RunRecords.params(result == null ? null : result.trained().params(), key),
                RunRecords.params(derived() == null ? null : derived().params(), key));
    }

    double tokens() {
        return number(result == null ? null : Double.valueOf(result.trained().tokens()),
                derived() == null ? null : Double.valueOf(derived().tokens()));
    }

    double flops(FlopConvention convention) {
        return number(result == null || result.compute().flops() == null ? null
                : result.compute().flops().get(convention),
                derived() == null || derived().flops() == null ? null : derived().flops().get(convention));
    }

    double budget() {
        return number(result == null ? null : result.compute().budget(), derived() == null ? null : derived().budget());
    }

    double finalValLoss() {
        return number(result == null ? null : result.losses().finalValLoss(), null);
    }

    double finalTrainLoss() {
        return number(result == null ? null : result.losses().finalTrainLoss(), null);
    }

    double wallSeconds() {
        return result == null ? Double.NaN : result.speed().wallSeconds();
    }

    /** The model's shape, e.g. "d64 L2 h2 ctx64", from result.json or the config in run.json. */
    String shape() {
        JsonNode m = result != null && result.setup().model() != null
                ? Json.mapper().valueToTree(result.setup().model())
                : info != null ? info.configModel() : MissingNode.getInstance();
        if (m.isMissingNode() || m.isNull()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        append(sb, "d", m.path("d_model"));
        append(sb, "L", m.path("layers"));
        append(sb, "h", m.path("heads"));
        append(sb, "ctx", m.path("context"));
        return sb.length() == 0 ? "-" : sb.toString();
    }

    /** run.json's provenance (missing node when there is none). */
    JsonNode provenance() {
        return info == null || info.provenance() == null ? MissingNode.getInstance()
                : Json.mapper().valueToTree(info.provenance());
    }

    /** The data fingerprint: result.json's data_sha256, else run.json's data.sha256. */
    String dataSha256() {
        String s = result == null || result.setup().dataSha256() == null ? "" : result.setup().dataSha256();
        return s.isEmpty() ? dataText("sha256") : s;
    }

    /** The data's name in run.json, else its source; "" when neither is recorded. */
    String dataName() {
        return info == null || info.data() == null || info.data().get("name") == null ? dataText("source")
                : dataText("name");
    }

    String precision() {
        return result == null || result.setup().precision() == null ? "" : result.setup().precision();
    }

    String device() {
        String d = result == null || result.setup().device() == null ? "" : result.setup().device();
        return d.isEmpty() ? provenance().path("device").asText("") : d;
    }

    private String dataText(String key) {
        if (info == null || info.data() == null) {
            return "";
        }
        Object v = info.data().get(key);
        return v == null ? "" : v.toString();
    }

    private static void append(StringBuilder sb, String label, JsonNode v) {
        if (v.isNumber()) {
            sb.append(sb.length() == 0 ? "" : " ").append(label).append(v.asInt());
        }
    }

    private static double number(Double first, Double second) {
        Double n = first != null ? first : second;
        return n != null ? n : Double.NaN;
    }

    /** The curve of a metrics.csv; null when there is none, or it cannot be read (the report says so). */
    static Curve readCurve(MetricsCsv m) {
        // a metrics file being appended to can end in half a row; a report must not fail on it
        if (m == null || m.error() != null && m.rows().isEmpty()) {
            return null;
        }
        return new Curve(m.doubles("tokens"), m.doubles("flops_kaplan"), m.doubles("flops_chinchilla"),
                m.doubles("train_loss"), m.doubles("val_loss"));
    }

    /**
     * Every run folder under {@code dir} (the folder itself, or folders up to three levels down, as
     * {@code fit} reads them: {@link RunFolders}), sorted by path.
     */
    static List<ReportRun> scan(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw ScalingLabException.data("no such folder: " + dir, "give a sweep's results folder or a run folder");
        }
        List<ReportRun> runs = new ArrayList<>();
        for (RunFolder f : RunFolders.under(dir)) {
            String rel = dir.relativize(f.dir()).toString();
            runs.add(read(f, rel.isEmpty() ? "." : rel));
        }
        return runs;
    }
}
