package org.scalinglab.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.bench.BenchResult;
import org.scalinglab.bench.BenchRunner;
import org.scalinglab.bench.BenchShape;
import org.scalinglab.config.TrainConfig.Precision;
import org.scalinglab.engine.TorchRuntime;
import org.scalinglab.io.AtomicFiles;
import org.scalinglab.io.Json;
import org.scalinglab.text.Numbers;
import org.scalinglab.train.Provenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scalinglab bench}: the trainer's throughput on the reference shapes, a table beside the
 * PyTorch reference (scripts/torch_reference_bench.py) when its CSV is given.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = {
    "Measure training throughput and MFU of reference shapes in each precision.",
    "Train the reference shapes (tiny, small, base) for a fixed number of steps in each precision, each in its "
        + "own JVM, and print tokens/s, TFLOP/s, MFU, peak memory, ms/step and the host time per step split into "
        + "forward, backward and optimizer, as a table and as CSV. FLOPs are counted as PaLM's MFU counts them: "
        + "6 N (non-embedding parameters and the head) + 12 x layers x context x d_model per token; bench.csv's "
        + "mfu_kaplan counts attention as 6 x layers x context x d_model instead."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--shapes", split = ",", paramLabel = "<shape>", description = "tiny, small, base (default: all on a GPU, tiny on the CPU).")
    List<String> shapes;

    @Option(names = "--precisions", split = ",", paramLabel = "<p>", description = "fp32, tf32, fp16 (default: all on a GPU, fp32 on the CPU).")
    List<String> precisions;

    @Option(names = "--steps", defaultValue = "30", description = "Timed steps (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--warmup", defaultValue = "5", description = "Untimed steps first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu:N (default ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--packed", split = ",", paramLabel = "<k>", description = "Also run k processes at once on the device (last precision), e.g. 2,4,8.")
    List<Integer> packed = new ArrayList<>();

    @Option(names = "--trace-every", defaultValue = "0", description = "Sample device memory every N steps (and at step 100).")
    int traceEvery;

    @Option(names = "--reference", paramLabel = "<csv>", description = "A PyTorch reference benchmark's CSV from the same machine, as scripts/torch_reference_bench.py writes it (columns size, prec, compiled, sdpa, tokens_per_s), for ratios.")
    Path reference;

    @Option(names = "--out", paramLabel = "<dir>", description = "The folder bench.csv and bench.json go to (default results/bench/<time>).")
    Path out;

    @Option(names = "--json", description = "Print bench.json's content (schema scalinglab.bench/1) on stdout instead "
            + "of the table; progress goes to stderr.")
    boolean json;

    @Option(names = "--worker", hidden = true)
    boolean worker;

    @Option(names = "--barrier", hidden = true)
    Path barrier;

    @Option(names = "--parties", hidden = true, defaultValue = "1")
    int parties;

    @Override
    public Integer call() {
        PrintWriter pw = spec.commandLine().getOut();
        checkOptions();
        if (worker && precisions != null) {
            // before the engine loads: libtorch reads the TF32 switch once
            TorchRuntime.requestTf32(precision(precisions.get(0)) == Precision.TF32);
        }
        Device d = TorchRuntime.device(device);
        List<BenchShape> shapeList = (shapes == null ? (d.isGpu() ? List.of("tiny", "small", "base") : List.of("tiny"))
                : shapes).stream().map(BenchShape::parse).toList();
        List<Precision> precisionList = (precisions == null ? (d.isGpu() ? List.of("fp32", "tf32", "fp16")
                : List.of("fp32")) : precisions).stream().map(BenchCommand::precision).toList();
        String dev = d.isGpu() ? "gpu:" + d.getDeviceId() : "cpu";
        for (Precision p : precisionList) {
            if (p == Precision.BF16 || !d.isGpu() && p != Precision.FP32) {
                // else each worker starts, fails with exit 3 and leaves a FAILED row
                throw new ScalingLabException(ExitCode.USAGE, "--precisions " + p.name().toLowerCase(Locale.ROOT)
                        + (p == Precision.BF16 ? " is not available (DJL's PyTorch has no bfloat16)"
                                : " needs a CUDA GPU, and the device is the CPU"),
                        d.isGpu() ? "use fp32, tf32 or fp16" : "use fp32 on the CPU, or --device gpu:N");
            }
        }
        if (worker) {
            BenchResult r = BenchRunner.runHere(shapeList.get(0), precisionList.get(0), dev, warmup, steps, traceEvery,
                    barrier, parties);
            pw.println(BenchRunner.RESULT_PREFIX + Json.compact(r));
            pw.flush();
            return ExitCode.OK.code();
        }
        Path dir = out != null ? out : Path.of("results", "bench",
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now()));
        AtomicFiles.ensureWritableDirectory(dir);
        PrintWriter stdout = pw;
        if (json) {
            pw = spec.commandLine().getErr(); // stdout carries the JSON alone
        }
        List<BenchResult> rows = BenchRunner.runAll(new BenchRunner.Settings(shapeList, precisionList, steps, warmup,
                dev, traceEvery, packed), dir, pw);
        Map<String, List<Map<String, String>>> torch = reference == null ? Map.of() : readReference(reference);
        String table = table(rows, torch);
        pw.print(table);
        writeCsv(dir.resolve("bench.csv"), rows, torch);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", "scalinglab.bench/1");
        doc.put("created_at", Instant.now().toString());
        doc.put("provenance", Provenance.collect(d));
        doc.put("settings", Map.of("steps", steps, "warmup", warmup, "device", dev, "packed", packed));
        doc.put("rows", rows);
        doc.put("reference", torch);
        Json.writeAtomically(dir.resolve("bench.json"), doc);
        pw.printf("written %s and %s%n", dir.resolve("bench.csv"), dir.resolve("bench.json"));
        pw.flush();
        if (json) {
            stdout.print(Json.write(doc));
            stdout.flush();
        }
        // its options were checked above: a row that failed is a worker that failed for a reason of its own
        // (memory, the engine), exit 6, not a bug
        if (rows.stream().anyMatch(r -> r.error() != null)) {
            spec.commandLine().getErr().println("scalinglab: error: " + rows.stream().filter(r -> r.error() != null)
                    .count() + " of " + rows.size() + " bench rows failed (see FAILED in the table)");
            return ExitCode.ENGINE.code();
        }
        return ExitCode.OK.code();
    }

    /** The numeric options, checked before anything starts (a worker, the engine). */
    private void checkOptions() {
        require(steps >= 1, "--steps must be >= 1, got " + steps);
        require(warmup >= 0, "--warmup must be >= 0, got " + warmup);
        require(traceEvery >= 0, "--trace-every must be >= 0 (0 = no memory trace), got " + traceEvery);
        for (Integer k : packed) {
            require(k != null && k >= 1 && k <= 64, "--packed takes process counts in [1, 64], got " + k);
        }
        require(parties >= 1, "--parties must be >= 1, got " + parties);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new ScalingLabException(ExitCode.USAGE, message, "see 'scalinglab bench --help'");
        }
    }

    static Precision precision(String s) {
        try {
            return Precision.valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ScalingLabException(org.scalinglab.ExitCode.USAGE, "unknown precision '" + s + "'",
                    "use fp32, tf32 or fp16");
        }
    }

    /** The reference benchmark's CSV, by size. */
    static Map<String, List<Map<String, String>>> readReference(Path csv) {
        Map<String, List<Map<String, String>>> bySize = new LinkedHashMap<>();
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(csv.toFile())) {
            while (it.hasNext()) {
                Map<String, String> row = it.next();
                bySize.computeIfAbsent(row.get("size"), k -> new ArrayList<>()).add(row);
            }
        } catch (IOException | RuntimeException e) {
            throw ScalingLabException.data("cannot read the reference CSV " + csv + ": " + e.getMessage(),
                    "give a reference benchmark's CSV with columns size, prec, compiled, sdpa, tokens_per_s (scripts/torch_reference_bench.py writes one)");
        }
        return bySize;
    }

    /** The PyTorch reference's tokens/s for a size: same math and precision (eager, no fused attention), or its best. */
    static Double torchTokens(Map<String, List<Map<String, String>>> torch, String size, String precision, boolean best) {
        double value = Double.NaN;
        for (Map<String, String> r : torch.getOrDefault(size, List.of())) {
            double tps;
            try {
                tps = Double.parseDouble(r.getOrDefault("tokens_per_s", ""));
            } catch (NumberFormatException e) {
                continue;
            }
            boolean sameMath = "False".equals(r.get("compiled")) && "False".equals(r.get("sdpa"))
                    && precision.equals(r.get("prec"));
            if (best ? !(tps <= value) : sameMath) {
                value = tps;
            }
        }
        return Double.isNaN(value) ? null : value;
    }

    static String table(List<BenchResult> rows, Map<String, List<Map<String, String>>> torch) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-6s %-5s %5s %11s %8s %7s %8s %9s %20s %12s %6s %12s %6s%n", "shape",
                "prec", "procs", "tokens/s", "TFLOP/s", "MFU", "peak GiB", "ms/step", "host fwd/bwd/opt ms",
                "torch same", "ratio", "torch best", "ratio"));
        for (BenchResult r : rows) {
            if (r.error() != null) {
                sb.append(String.format(Locale.ROOT, "%-6s %-5s %5d FAILED: %s%n", r.shape(), r.precision(),
                        r.processes(), r.error()));
                continue;
            }
            Double same = torchTokens(torch, r.shape(), r.precision(), false);
            Double best = torchTokens(torch, r.shape(), r.precision(), true);
            sb.append(String.format(Locale.ROOT, "%-6s %-5s %5d %11.0f %8.1f %7s %8s %9.2f %20s %12s %6s %12s %6s%n",
                    r.shape(), r.precision(), r.processes(), r.tokensPerS(), r.tflops(),
                    r.mfu() == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * r.mfu()),
                    Numbers.fixed(r.peakGib(), 2),
                    r.msPerStep(), String.format(Locale.ROOT, "%.1f/%.1f/%.1f", r.hostForwardMs(), r.hostBackwardMs(),
                            r.hostOptimizerMs()),
                    same == null ? "-" : String.format(Locale.ROOT, "%.0f", same),
                    same == null ? "-" : String.format(Locale.ROOT, "%.2fx", r.tokensPerS() / same),
                    best == null ? "-" : String.format(Locale.ROOT, "%.0f", best),
                    best == null ? "-" : String.format(Locale.ROOT, "%.2fx", r.tokensPerS() / best)));
            for (double[] t : r.memoryTrace()) {
                sb.append(String.format(Locale.ROOT, "         memory at step %6.0f: %.1f MiB%n", t[0], t[1]));
            }
        }
        sb.append("TFLOP/s and MFU count 6 N (non-embedding + head) + 12 x layers x context x d_model FLOPs per token "
                + "(PaLM appendix B, nanoGPT); bench.csv's mfu_kaplan counts attention as 6 x layers x context x d_model.\n");
        return sb.toString();
    }

    static void writeCsv(Path file, List<BenchResult> rows, Map<String, List<Map<String, String>>> torch) {
        StringBuilder sb = new StringBuilder("shape,precision,processes,tokens_per_s,tflops,mfu,mfu_kaplan,peak_gib,ms_per_step,"
                + "host_forward_ms,host_backward_ms,host_optimizer_ms,final_loss,flops_per_token,steps,"
                + "torch_same_math_tokens_per_s,torch_best_tokens_per_s,error\n");
        for (BenchResult r : rows) {
            Double same = torchTokens(torch, r.shape(), r.precision(), false);
            Double best = torchTokens(torch, r.shape(), r.precision(), true);
            sb.append(String.join(",", r.shape(), r.precision(), Integer.toString(r.processes()), Numbers.csv(r.tokensPerS()),
                    Numbers.csv(r.tflops()), r.mfu() == null ? "" : Numbers.csv(r.mfu()), r.mfuKaplan() == null ? "" : Numbers.csv(r.mfuKaplan()),
                    Numbers.csv(r.peakGib()), Numbers.csv(r.msPerStep()),
                    Numbers.csv(r.hostForwardMs()), Numbers.csv(r.hostBackwardMs()), Numbers.csv(r.hostOptimizerMs()), Numbers.csv(r.finalLoss()),
                    Numbers.csv(r.flopsPerToken()), Integer.toString(r.steps()), same == null ? "" : Numbers.csv(same),
                    best == null ? "" : Numbers.csv(best), r.error() == null ? "" : "\"" + r.error().replace("\"", "'") + "\""))
                    .append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }
}
