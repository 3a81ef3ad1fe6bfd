package org.scalinglab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.scalinglab.ScalingLabException;
import org.scalinglab.io.Json;

/**
 * One run folder as the report shows it: what result.json says (absent while a run is still going), what
 * run.json recorded before training (config, provenance, data fingerprint), and the metrics.csv curve.
 * Read leniently: a missing field is shown as "-", never an error, so a report can be made of any folder.
 */
record RunFolder(String id, String path, JsonNode result, JsonNode info, Curve curve) {

    /** metrics.csv columns the figures use; NaN where a row has no value (val_loss between evaluations). */
    record Curve(double[] tokens, double[] flopsKaplan, double[] flopsChinchilla, double[] trainLoss, double[] valLoss) {
        int size() {
            return tokens.length;
        }

        /** metrics.csv's column of a convention; null for chinchilla_a4, which has none (see {@link #curveFlops}). */
        double[] flops(String convention) {
            return switch (convention) {
                case "kaplan" -> flopsKaplan;
                case "chinchilla" -> flopsChinchilla;
                default -> null;
            };
        }
    }

    /** The curve's cumulative FLOPs in a convention: its metrics.csv column, else tokens x flops_per_token. */
    double[] curveFlops(String convention) {
        double[] column = curve.flops(convention);
        if (column != null) {
            return column;
        }
        double perToken = number(result.path("flops_per_token").path(convention),
                info.path("derived").path("flops_per_token").path(convention));
        return java.util.Arrays.stream(curve.tokens()).map(t -> t * perToken).toArray();
    }

    static RunFolder read(Path runDir, String relPath) {
        Path resultFile = runDir.resolve(org.scalinglab.train.runfolder.RunFolder.RESULT_JSON);
        Path infoFile = runDir.resolve(org.scalinglab.train.runfolder.RunFolder.RUN_JSON);
        JsonNode result = Files.isRegularFile(resultFile) ? Json.readTree(resultFile) : MissingNode.getInstance();
        JsonNode info = Files.isRegularFile(infoFile) ? Json.readTree(infoFile) : MissingNode.getInstance();
        String fallback = runDir.getFileName() == null ? relPath : runDir.getFileName().toString();
        String id = result.path("run_id").asText(info.path("run_id").asText(fallback));
        return new RunFolder(id, relPath, result, info, readCurve(runDir.resolve(org.scalinglab.train.runfolder.RunFolder.METRICS_CSV)));
    }

    /** completed, diverged, ... from result.json; "running" when only run.json exists. */
    String status() {
        if (result.isMissingNode()) {
            return "running";
        }
        String s = result.path("status").asText("");
        return s.isEmpty() ? "unknown" : s;
    }

    boolean completed() {
        return "completed".equals(status());
    }

    String message() {
        return result.path("message").asText("");
    }

    /** N in a parameter convention's result.json key, falling back to run.json's derived counts. */
    double params(String key) {
        return number(result.path("params").path(key), info.path("derived").path("params").path(key));
    }

    double tokens() {
        return number(result.path("tokens"), info.path("derived").path("tokens"));
    }

    double flops(String convention) {
        return number(result.path("flops").path(convention), info.path("derived").path("flops").path(convention));
    }

    double budget() {
        return number(result.path("budget"), info.path("derived").path("budget"));
    }

    double finalValLoss() {
        return number(result.path("final_val_loss"), MissingNode.getInstance());
    }

    double finalTrainLoss() {
        return number(result.path("final_train_loss"), MissingNode.getInstance());
    }

    double wallSeconds() {
        return number(result.path("wall_seconds"), MissingNode.getInstance());
    }

    /** The model's shape, e.g. "d64 L2 h2 ctx64", from result.json or the config in run.json. */
    String shape() {
        JsonNode m = result.path("model");
        if (m.isMissingNode()) {
            m = info.path("config").path("model");
        }
        if (m.isMissingNode()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        append(sb, "d", m.path("d_model"));
        append(sb, "L", m.path("layers"));
        append(sb, "h", m.path("heads"));
        append(sb, "ctx", m.path("context"));
        return sb.length() == 0 ? "-" : sb.toString();
    }

    JsonNode provenance() {
        return info.path("provenance");
    }

    /** The data fingerprint: result.json's data_sha256, else run.json's data.sha256. */
    String dataSha256() {
        String s = result.path("data_sha256").asText("");
        return s.isEmpty() ? info.path("data").path("sha256").asText("") : s;
    }

    String device() {
        String d = result.path("device").asText("");
        return d.isEmpty() ? provenance().path("device").asText("") : d;
    }

    private static void append(StringBuilder sb, String label, JsonNode v) {
        if (v.isNumber()) {
            sb.append(sb.length() == 0 ? "" : " ").append(label).append(v.asInt());
        }
    }

    private static double number(JsonNode first, JsonNode second) {
        JsonNode n = first.isNumber() ? first : second;
        return n.isNumber() ? n.asDouble() : Double.NaN;
    }

    /** The curve of a metrics.csv, or null when there is none or it cannot be read (the report says so). */
    static Curve readCurve(Path metrics) {
        if (!Files.isRegularFile(metrics)) {
            return null;
        }
        List<double[]> rows = new ArrayList<>();
        CsvMapper mapper = new CsvMapper();
        try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(metrics.toFile())) {
            while (it.hasNext()) {
                Map<String, String> r = it.next();
                rows.add(new double[] {cell(r, "tokens"), cell(r, "flops_kaplan"), cell(r, "flops_chinchilla"),
                    cell(r, "train_loss"), cell(r, "val_loss")});
            }
        } catch (IOException | RuntimeException e) {
            // a metrics file being appended to can end in half a row; a report must not fail on it
            if (rows.isEmpty()) {
                return null;
            }
        }
        double[][] cols = new double[5][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int k = 0; k < 5; k++) {
                cols[k][i] = rows.get(i)[k];
            }
        }
        return new Curve(cols[0], cols[1], cols[2], cols[3], cols[4]);
    }

    private static double cell(Map<String, String> row, String col) {
        String s = row.get(col);
        if (s == null || s.isBlank()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * Every run folder under {@code dir} (the folder itself, or folders up to three levels down, as
     * {@code fit} reads them), identified by a result.json or run.json, sorted by path.
     */
    static List<RunFolder> scan(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw ScalingLabException.data("no such folder: " + dir, "give a sweep's results folder or a run folder");
        }
        List<Path> dirs = org.scalinglab.fit.RunDirs.of(dir);
        List<RunFolder> runs = new ArrayList<>();
        for (Path d : dirs) {
            String rel = dir.relativize(d).toString();
            runs.add(read(d, rel.isEmpty() ? "." : rel));
        }
        return runs;
    }
}
