package org.scalinglab.forecast;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scalinglab.ScalingLabException;
import org.scalinglab.io.Json;
import org.scalinglab.text.Numbers;
import org.scalinglab.train.runfolder.RunFolder;
import org.scalinglab.train.runfolder.RunFolders;
import org.scalinglab.train.runfolder.RunRecords.RunInfo;
import org.scalinglab.train.runfolder.RunRecords.RunResult;

/**
 * The MFU this machine measured: from {@code scalinglab bench}'s bench.json (the largest shape benchmarked,
 * at the precision asked for when it was benchmarked, else at its fastest), or from a results folder's runs
 * (result.json's {@code mfu}, the median over the runs of the largest model that recorded one: the one
 * nearest a large run). CPU runs record no MFU; then {@code mfu} is NaN, and {@code gpuName} is still the
 * GPU the runs' run.json names, if any.
 */
public record MeasuredMfu(double mfu, String gpuName, String precision, String source) {

    public boolean measured() {
        return Double.isFinite(mfu) && mfu > 0;
    }

    /** bench.json, a folder holding one, or a results folder; an error (exit 4) when it holds no MFU. */
    public static MeasuredMfu read(Path p, String preferredPrecision) {
        Path bench = Files.isDirectory(p) && Files.isRegularFile(p.resolve("bench.json")) ? p.resolve("bench.json") : p;
        MeasuredMfu m;
        if (Files.isRegularFile(bench)) {
            m = fromBench(bench, preferredPrecision);
        } else if (Files.isDirectory(p)) {
            m = fromRuns(p);
        } else {
            throw ScalingLabException.data("no such bench.json or results folder: " + p,
                    "give the bench.json 'scalinglab bench' wrote, or a sweep's results folder");
        }
        if (!m.measured()) {
            throw ScalingLabException.data(m.source, "give --mfu instead");
        }
        return m;
    }

    static MeasuredMfu fromBench(Path file, String preferredPrecision) {
        JsonNode doc = Json.readTree(file);
        if (!doc.path("rows").isArray()) {
            throw ScalingLabException.data(file + " is not a bench.json (no \"rows\")",
                    "give the bench.json 'scalinglab bench' wrote");
        }
        String gpu = text(doc.path("provenance").path("gpu"));
        List<JsonNode> rows = new ArrayList<>();
        for (JsonNode r : doc.path("rows")) {
            if (r.path("mfu").isNumber() && r.path("mfu").asDouble() > 0 && r.path("processes").asInt(1) == 1
                    && (r.path("error").isNull() || r.path("error").isMissingNode())) {
                rows.add(r);
            }
        }
        if (rows.isEmpty()) {
            return new MeasuredMfu(Double.NaN, gpu, null, file + " has no row with an MFU (a CPU benchmark has none)");
        }
        // bench has no bf16: fp16 is its half-precision row
        String want = preferredPrecision == null ? null
                : preferredPrecision.equalsIgnoreCase("bf16") ? "fp16" : preferredPrecision.toLowerCase(Locale.ROOT);
        List<JsonNode> match = rows.stream().filter(r -> r.path("precision").asText().equalsIgnoreCase(want)).toList();
        List<JsonNode> pool = match.isEmpty() ? rows : match;
        double top = pool.stream().mapToDouble(r -> r.path("flops_per_token").asDouble()).max().orElse(0);
        // of the largest shape, the fastest precision: the one a run would train in (not the best MFU, which
        // a slow precision's low peak can flatter)
        JsonNode best = pool.stream().filter(r -> r.path("flops_per_token").asDouble() >= top)
                .max((a, b) -> Double.compare(a.path("tflops").asDouble(), b.path("tflops").asDouble())).orElseThrow();
        String prec = best.path("precision").asText();
        return new MeasuredMfu(best.path("mfu").asDouble(), gpu, prec, String.format(Locale.ROOT,
                "%s: the %s shape at %s%s on %s", file, best.path("shape").asText(), prec,
                want != null && match.isEmpty() ? " (no " + want + " row)" : "", gpu == null ? "an unnamed GPU" : gpu));
    }

    /** A results folder's runs; NaN MFU (and the reason in {@code source}) when none recorded one. */
    public static MeasuredMfu fromRuns(Path dir) {
        record Run(double params, double mfu, String gpu, String precision) {}
        List<Run> runs = new ArrayList<>();
        for (RunFolder run : RunFolders.under(dir)) {
            RunResult r = run.result();
            if (r == null || !r.completed()) {
                continue;
            }
            RunInfo i = run.info();
            runs.add(new Run(r.trained().params() == null ? Double.NaN : r.trained().params().total(),
                    r.speed().mfu() != null ? r.speed().mfu() : Double.NaN,
                    i == null || i.provenance() == null ? null : string(i.provenance().get("gpu")),
                    string(r.setup().precision())));
        }
        Map<String, Integer> gpus = new HashMap<>();
        runs.stream().filter(r -> r.gpu() != null).forEach(r -> gpus.merge(r.gpu(), 1, Integer::sum));
        String gpu = gpus.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
        List<Run> with = runs.stream().filter(r -> Double.isFinite(r.mfu()) && r.mfu() > 0
                && Double.isFinite(r.params())).toList();
        if (with.isEmpty()) {
            String prec = runs.stream().map(Run::precision).filter(p -> p != null).findFirst().orElse(null);
            return new MeasuredMfu(Double.NaN, gpu, prec, runs.isEmpty() ? "no completed runs in " + dir
                    : "no completed run in " + dir + " recorded an MFU (runs on the CPU record none)");
        }
        double top = with.stream().mapToDouble(Run::params).max().orElseThrow();
        List<Run> largest = with.stream().filter(r -> r.params() >= top).toList();
        double[] m = largest.stream().mapToDouble(Run::mfu).sorted().toArray();
        double median = m.length % 2 == 1 ? m[m.length / 2] : (m[m.length / 2 - 1] + m[m.length / 2]) / 2;
        String g = largest.get(0).gpu() != null ? largest.get(0).gpu() : gpu;
        String prec = largest.get(0).precision();
        return new MeasuredMfu(median, g, prec, String.format(Locale.ROOT, "%s: median of the %d run%s of the largest "
                + "model (%s parameters) at %s on %s", dir, m.length, m.length == 1 ? "" : "s",
                Numbers.sig4(top), prec, g == null ? "an unnamed GPU" : g));
    }

    private static String text(JsonNode n) {
        return n == null || !n.isTextual() || n.asText().isBlank() ? null : n.asText();
    }

    private static String string(Object v) {
        return v instanceof String s && !s.isBlank() ? s : null;
    }
}
