package org.scalinglab.bench;

import ai.djl.Device;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.ConfigLoader;
import org.scalinglab.config.RunConfig;
import org.scalinglab.config.StrictYaml;
import org.scalinglab.config.TrainConfig.Precision;
import org.scalinglab.engine.GpuInfo;
import org.scalinglab.engine.PeakFlops;
import org.scalinglab.engine.TorchRuntime;
import org.scalinglab.io.Json;
import org.scalinglab.io.JvmLauncher;
import org.scalinglab.model.Flops;
import org.scalinglab.model.GptShape;
import org.scalinglab.train.ThroughputMeasurement;

/**
 * Runs the benchmark: each (shape, precision) in a JVM of its own (libtorch fixes the float32 matmul
 * mode per process, and memory is then measured from a clean start), several at once when packing
 * runs on one GPU, and gathers their results.
 */
public final class BenchRunner {
    /** Marks the worker's result line on its stdout. */
    public static final String RESULT_PREFIX = "BENCH ";

    /** What to run. */
    public record Settings(List<BenchShape> shapes, List<Precision> precisions, int steps, int warmup,
            String device, int traceEvery, List<Integer> packed) {}

    private BenchRunner() {}

    /** The run config of one benchmark shape: random bytes (like the reference), AdamW as torch's defaults. */
    public static RunConfig config(BenchShape shape, Precision precision, String device, int steps) {
        ObjectNode tree = StrictYaml.mapper().createObjectNode();
        tree.put("name", "bench-" + shape.label() + "-" + precision.name().toLowerCase(Locale.ROOT));
        tree.put("device", device);
        ObjectNode data = tree.putObject("data");
        data.put("source", "markov");
        data.put("vocab_size", BenchShape.VOCAB);
        ObjectNode markov = data.putObject("markov");
        markov.put("vocab", BenchShape.VOCAB);
        markov.put("order", 1);
        markov.put("branching", BenchShape.VOCAB);
        markov.put("zipf_exponent", 0.0);
        markov.put("popularity_exponent", 0.0);
        markov.put("uniform_mix", 0.5);
        markov.put("tokens", 4_000_000);
        ObjectNode model = tree.putObject("model");
        model.put("context", shape.context);
        model.put("d_model", shape.dModel);
        model.put("layers", shape.layers);
        model.put("heads", shape.heads);
        ObjectNode train = tree.putObject("train");
        train.put("batch_size", shape.batch);
        train.put("steps", steps);
        train.put("precision", precision.name().toLowerCase(Locale.ROOT));
        ObjectNode opt = train.putObject("optimizer");
        opt.put("lr", 3e-4);
        opt.put("beta2", 0.999);
        opt.put("weight_decay", 0.01);
        opt.put("grad_clip", 1.0);
        return ConfigLoader.resolve(tree, List.of());
    }

    /** In this process: one shape and precision. */
    public static BenchResult runHere(BenchShape shape, Precision precision, String device, int warmup, int steps,
            int traceEvery, Path barrier, int parties) {
        TorchRuntime.requestTf32(precision == Precision.TF32);
        RunConfig config = config(shape, precision, device, warmup + steps);
        GptShape gs = GptShape.of(config.model(), BenchShape.VOCAB);
        ThroughputMeasurement.Result r = ThroughputMeasurement.measure(config, warmup, steps, traceEvery,
                () -> {
                    if (barrier != null) {
                        waitFor(barrier, parties);
                    }
                });
        // MFU as PaLM (appendix B) and nanoGPT count it, so it compares with the ecosystem's on the same run
        double fpt = Flops.palm(gs);
        double flops = r.tokensPerSecond() * fpt;
        Device d = TorchRuntime.device(device);
        OptionalDouble peak = d.isGpu() ? PeakFlops.of(GpuInfo.of(d.getDeviceId()).name(), precision)
                : OptionalDouble.empty();
        return new BenchResult(shape.label(), precision.name().toLowerCase(Locale.ROOT), 1, r.tokensPerSecond(),
                flops / 1e12, peak.isPresent() ? flops / peak.getAsDouble() : null,
                peak.isPresent() ? r.tokensPerSecond() * Flops.kaplanWithHead(gs) / peak.getAsDouble() : null,
                r.memoryMiB() / 1024,
                r.msPerStep(), r.hostForwardMs(), r.hostBackwardMs(), r.hostOptimizerMs(), r.finalLoss(), fpt,
                steps, null, r.memoryTrace(), r.startMillis(), r.endMillis());
    }

    /** A file barrier: announce readiness, wait until {@code parties} processes are ready. */
    private static void waitFor(Path barrier, int parties) {
        try {
            Files.createDirectories(barrier);
            Files.writeString(barrier.resolve(ProcessHandle.current().pid() + ".ready"), "");
            long deadline = System.currentTimeMillis() + 600_000;
            while (true) {
                try (var s = Files.list(barrier)) {
                    if (s.filter(p -> p.toString().endsWith(".ready")).count() >= parties) {
                        return;
                    }
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("other benchmark processes never became ready");
                }
                Thread.sleep(5);
            }
        } catch (IOException e) {
            throw ScalingLabException.output("cannot use barrier folder " + barrier, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every configured row, each in child JVMs; failures become rows with an error. */
    public static List<BenchResult> runAll(Settings s, Path workDir, PrintWriter log) {
        List<BenchResult> rows = new ArrayList<>();
        for (BenchShape shape : s.shapes()) {
            for (Precision p : s.precisions()) {
                rows.add(child(shape, p, s, 1, workDir, log));
            }
        }
        for (int k : s.packed()) {
            for (BenchShape shape : s.shapes()) {
                rows.add(child(shape, s.precisions().get(s.precisions().size() - 1), s, k, workDir, log));
            }
        }
        return rows;
    }

    private static BenchResult child(BenchShape shape, Precision p, Settings s, int processes, Path workDir,
            PrintWriter log) {
        String label = shape.label() + " " + p.name().toLowerCase(Locale.ROOT) + (processes > 1 ? " x" + processes : "");
        log.printf("bench   %s ...%n", label);
        log.flush();
        Path barrier = workDir.resolve("barrier-" + shape.label() + "-" + processes + "-" + System.nanoTime());
        List<String> args = new ArrayList<>(List.of("bench", "--worker", "--shapes", shape.label(), "--precisions",
                p.name().toLowerCase(Locale.ROOT), "--steps", Integer.toString(s.steps()), "--warmup",
                Integer.toString(s.warmup()), "--device", s.device(), "--trace-every", Integer.toString(s.traceEvery())));
        if (processes > 1) {
            args.addAll(List.of("--barrier", barrier.toString(), "--parties", Integer.toString(processes)));
        }
        List<Process> procs = new ArrayList<>();
        try {
            for (int i = 0; i < processes; i++) {
                ProcessBuilder pb = new ProcessBuilder(JvmLauncher.current(List.of()).command(args));
                pb.redirectErrorStream(true);
                procs.add(pb.start());
            }
            List<BenchResult> parts = new ArrayList<>();
            String error = null;
            for (Process proc : procs) {
                BenchResult r = null;
                StringBuilder tail = new StringBuilder();
                try (BufferedReader in = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (line.startsWith(RESULT_PREFIX)) {
                            r = Json.mapper().readValue(line.substring(RESULT_PREFIX.length()), BenchResult.class);
                        } else if (!line.isBlank() && !line.contains(" WARN ")) {
                            tail.setLength(0);
                            tail.append(line.strip());
                        }
                    }
                }
                int code = proc.waitFor();
                if (r == null || code != ExitCode.OK.code()) {
                    error = "exit " + code + ": " + tail;
                } else {
                    parts.add(r);
                }
            }
            if (error != null) {
                return failed(shape, p, processes, s.steps(), error);
            }
            return processes == 1 ? parts.get(0) : combine(parts);
        } catch (IOException e) {
            return failed(shape, p, processes, s.steps(), e.getMessage());
        } catch (InterruptedException e) {
            procs.forEach(Process::destroyForcibly);
            Thread.currentThread().interrupt();
            return failed(shape, p, processes, s.steps(), "interrupted");
        }
    }

    /**
     * Packed processes: total tokens over the span from the first start to the last end. Memory is
     * left out: each process can only see the whole device's use, which includes the others'.
     */
    static BenchResult combine(List<BenchResult> parts) {
        BenchResult f = parts.get(0);
        long start = parts.stream().mapToLong(BenchResult::startMillis).min().orElse(0);
        long end = parts.stream().mapToLong(BenchResult::endMillis).max().orElse(1);
        double tokens = parts.stream().mapToDouble(r -> r.tokensPerS() * r.msPerStep() * r.steps() / 1e3).sum();
        double tps = tokens / ((end - start) / 1e3);
        double ratio = tps / f.tokensPerS();
        return new BenchResult(f.shape(), f.precision(), parts.size(), tps, f.tflops() * ratio,
                f.mfu() == null ? null : f.mfu() * ratio, f.mfuKaplan() == null ? null : f.mfuKaplan() * ratio,
                Double.NaN,
                parts.stream().mapToDouble(BenchResult::msPerStep).average().orElse(Double.NaN),
                mean(parts, BenchResult::hostForwardMs), mean(parts, BenchResult::hostBackwardMs),
                mean(parts, BenchResult::hostOptimizerMs), mean(parts, BenchResult::finalLoss), f.flopsPerToken(),
                f.steps(), null, List.of(), start, end);
    }

    private static double mean(List<BenchResult> parts, java.util.function.ToDoubleFunction<BenchResult> f) {
        return parts.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private static BenchResult failed(BenchShape shape, Precision p, int processes, int steps, String error) {
        return new BenchResult(shape.label(), p.name().toLowerCase(Locale.ROOT), processes, Double.NaN, Double.NaN,
                null, null, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, steps,
                error, List.of(), 0, 0);
    }
}
