package org.scalinglab.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.ConfigLoader;
import org.scalinglab.config.RunConfig;
import org.scalinglab.engine.GpuInfo;
import org.scalinglab.io.Hashing;
import org.scalinglab.io.Json;
import org.scalinglab.io.JvmLauncher;
import org.scalinglab.train.RunPlan;
import org.scalinglab.train.runfolder.MetricsCsv;
import org.scalinglab.train.runfolder.RunFolder;

/**
 * Measures how fast this machine trains a sweep's shapes: short runs ({@code estimate.probe_steps}
 * steps) of the smallest and the largest shape (by FLOPs per token), each with k copies at once on
 * one device for each candidate k, as worker processes exactly like the sweep's. From the two shapes
 * it fits, per k, seconds per token = a + b x FLOPs per token (a is the host-side overhead of a
 * step, which dominates small models; b the device's cost of a FLOP), plus each process's fixed
 * startup. The result is cached in the sweep's {@code probe.json} under a key of everything it
 * depends on, so plan, sweep and run measure once.
 */
public final class ThroughputProbe {
    private ThroughputProbe() {}

    /** One measurement: {@code runsAtOnce} copies of a shape on one device, each at this many tokens/s. */
    public record Point(String shape, double flopsPerToken, int runsAtOnce, double tokensPerSecond,
            double startupSeconds) {}

    /**
     * What one run costs when {@code runsAtOnce} runs share a device: startup + tokens x (a + b x F),
     * with F the Chinchilla FLOPs per token; evaluation tokens count a third (forward only). A WSD
     * branch trains only the steps after its branch point.
     */
    public record Speed(int runsAtOnce, double secondsPerToken, double secondsPerFlop, double startupSeconds) {
        public double seconds(PlannedRun r) {
            RunPlan p = r.plan();
            double perToken = secondsPerToken + secondsPerFlop * p.flopsPerToken().chinchilla();
            var t = r.config().train();
            long evals = t.evaluations(p.steps());
            double evalTokens = ((double) (evals - 1) * t.evalWindows() + t.finalEvalWindows()) * p.shape().context();
            return startupSeconds + perToken * (p.tokens() + evalTokens / 3) * share(r);
        }

        /** The share of a run's steps it trains itself: all, or a WSD branch's cooldown. */
        static double share(PlannedRun r) {
            return r.branch() == null ? 1 : (r.plan().steps() - r.branch().step()) / (double) r.plan().steps();
        }

        /** Tokens/s of one run of this FLOPs per token. */
        public double tokensPerSecond(double flopsPerToken) {
            return 1 / (secondsPerToken + secondsPerFlop * flopsPerToken);
        }
    }

    /** probe.json. */
    public record Result(String key, String device, int threads, List<Point> points, List<Speed> speeds,
            String measuredAt) {
        public Speed speed(int runsAtOnce) {
            return speeds.stream().filter(s -> s.runsAtOnce() == runsAtOnce).findFirst().orElse(null);
        }
    }

    /**
     * The probe for these shapes on {@code device}, from the cache when its key matches, else measured
     * (or null when {@code measure} is false).
     *
     * @param threads threads of each run when k run at once, by k (index k)
     */
    public static Result measure(SweepFolder folder, List<PlannedRun> runs, String device, List<Integer> ks,
            int[] threads, int steps, JvmLauncher launcher, PrintWriter log, boolean measure) {
        List<PlannedRun> shapes = probeShapes(runs);
        StringBuilder k = new StringBuilder(device + "|" + host() + "|" + steps + "|" + ks + "|");
        for (int n : ks) {
            k.append(threads[n]).append(',');
        }
        if (device.startsWith("gpu")) {
            k.append(GpuInfo.of(device.equals("gpu") ? 0 : Integer.parseInt(device.substring(4))).name());
        }
        // the shapes and what a step holds; not the run ids, which change with the length and learning rate
        shapes.forEach(s -> k.append('|').append(s.plan().shape().label()).append('/').append(s.plan().tokensPerStep())
                .append('/').append(s.config().train().precision()));
        String key = Hashing.sha256(k.toString()).substring(0, 16);
        if (Files.isRegularFile(folder.probeJson())) {
            try {
                Result cached = Json.read(folder.probeJson(), Result.class);
                if (key.equals(cached.key())) {
                    return cached;
                }
            } catch (ScalingLabException e) {
                // unreadable: measure again
            }
        }
        if (!measure) {
            return null;
        }
        List<Point> points = new ArrayList<>();
        for (int n : ks) {
            for (PlannedRun s : shapes) {
                log.printf(Locale.ROOT, "probe: %s, %d at once on %s (%d thread%s each), %d steps ...%n",
                        s.label().split(" ")[0], n, device, threads[n], threads[n] == 1 ? "" : "s", steps);
                log.flush();
                points.add(probe(s, device, n, threads[n], steps, launcher));
            }
        }
        List<Speed> speeds = new ArrayList<>();
        for (int n : ks) {
            speeds.add(fit(n, points.stream().filter(p -> p.runsAtOnce() == n).toList()));
        }
        Result r = new Result(key, device, threads[ks.get(0)], points, speeds, Instant.now().toString());
        Json.writeAtomically(folder.probeJson(), r);
        return r;
    }

    /** The runs with the smallest and the largest FLOPs per token (one if they share a shape). */
    static List<PlannedRun> probeShapes(List<PlannedRun> runs) {
        Comparator<PlannedRun> byFlops = Comparator.comparingDouble(r -> r.plan().flopsPerToken().chinchilla());
        PlannedRun small = runs.stream().min(byFlops).orElseThrow();
        PlannedRun large = runs.stream().max(byFlops).orElseThrow();
        return small.plan().shape().equals(large.plan().shape()) ? List.of(small) : List.of(small, large);
    }

    /** Seconds per token = a + b F through the two shapes' points (or proportional to F through one). */
    static Speed fit(int k, List<Point> pts) {
        double startup = pts.stream().mapToDouble(Point::startupSeconds).average().orElse(0);
        Point lo = pts.get(0);
        Point hi = pts.get(pts.size() - 1);
        double s1 = 1 / lo.tokensPerSecond();
        double s2 = 1 / hi.tokensPerSecond();
        if (pts.size() == 1 || hi.flopsPerToken() <= lo.flopsPerToken()) {
            return new Speed(k, 0, s2 / hi.flopsPerToken(), startup);
        }
        double b = (s2 - s1) / (hi.flopsPerToken() - lo.flopsPerToken());
        double a = s1 - b * lo.flopsPerToken();
        if (b <= 0) { // the larger shape ran as fast per token: all overhead
            return new Speed(k, (s1 + s2) / 2, 0, startup);
        }
        if (a < 0) {
            return new Speed(k, 0, s2 / hi.flopsPerToken(), startup);
        }
        return new Speed(k, a, b, startup);
    }

    /** Runs {@code k} short copies of a shape at once and reads their metrics. */
    private static Point probe(PlannedRun run, String device, int k, int threads, int steps, JvmLauncher launcher) {
        Path tmp;
        try {
            tmp = Files.createTempDirectory("scalinglab-probe");
        } catch (IOException e) {
            throw ScalingLabException.output("cannot create a temporary folder for the probe: " + e.getMessage(), null, e);
        }
        try {
            RunConfig config = probeConfig(run.config(), device, threads, steps);
            List<Process> procs = new ArrayList<>();
            List<Path> dirs = new ArrayList<>();
            long started = System.nanoTime();
            for (int j = 0; j < k; j++) {
                Path dir = tmp.resolve("run" + j);
                Files.createDirectories(dir);
                Path cfg = Files.writeString(dir.resolve(SweepRunFolder.CONFIG_YAML), SweepRunFolder.yaml(config));
                ProcessBuilder pb = new ProcessBuilder(LocalExecutor.workerLauncher(launcher, run).command(
                        List.of("train", cfg.toString(), "--out", dir.resolve("run").toString())));
                pb.redirectErrorStream(true).redirectOutput(dir.resolve(SweepRunFolder.TRAIN_LOG).toFile());
                procs.add(pb.start());
                dirs.add(dir);
            }
            double tps = 0;
            double startup = 0;
            for (int j = 0; j < k; j++) {
                Process p = procs.get(j);
                if (!p.waitFor(15, TimeUnit.MINUTES)) {
                    procs.forEach(Process::destroyForcibly);
                    throw new ScalingLabException(ExitCode.ENGINE, "the throughput probe of " + run.label()
                            + " took over 15 minutes", "lower estimate.probe_steps");
                }
                double wall = (System.nanoTime() - started) / 1e9;
                Path runDir = dirs.get(j).resolve("run");
                if (p.exitValue() != ExitCode.OK.code() && p.exitValue() != ExitCode.DIVERGED.code()) {
                    SweepRunFolder f = new SweepRunFolder(dirs.get(j));
                    throw new ScalingLabException(ExitCode.ENGINE, "the throughput probe of shape "
                            + run.plan().shape().label() + " (" + k + " at once on " + device + ") failed: "
                            + f.lastLogLine(), "if it ran out of memory the shape does not fit: use a smaller "
                            + "base.train.batch_size with grad_accum, fewer runs per device, or drop the shape");
                }
                double[] m = steadyTokensPerSecond(new RunFolder(runDir).metricsCsv());
                tps += m[0];
                startup += Math.max(0, wall - m[1]);
            }
            return new Point(run.plan().shape().label(), run.plan().flopsPerToken().chinchilla(), k, tps / k,
                    startup / k);
        } catch (IOException e) {
            throw ScalingLabException.output("the throughput probe cannot run: " + e.getMessage(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScalingLabException(ExitCode.INTERNAL, "interrupted during the throughput probe", null, e);
        } finally {
            deleteTree(tmp);
        }
    }

    static RunConfig probeConfig(RunConfig c, String device, int threads, int steps) {
        ObjectNode tree = Json.mapper().valueToTree(c);
        tree.put("name", "probe");
        tree.put("device", device);
        tree.put("threads", threads);
        ObjectNode t = tree.with("train");
        for (String k : List.of("tokens", "flops", "tokens_per_param")) {
            t.putNull(k);
        }
        t.put("steps", steps);
        t.put("log_every", Math.max(1, steps / 6));
        t.put("eval_every", steps);
        t.put("checkpoint_every", 0);
        t.put("keep_final_checkpoint", false);
        return ConfigLoader.resolve(tree, List.of());
    }

    /**
     * Tokens/s over the metrics rows after the first (which carries the warm-up), as total tokens over
     * total time, and the seconds those rows and the first took (the training time of the run).
     */
    static double[] steadyTokensPerSecond(Path metrics) throws IOException {
        MetricsCsv csv = MetricsCsv.read(metrics);
        if (csv == null) {
            throw new NoSuchFileException(metrics.toString());
        }
        if (csv.error() != null) {
            throw new IOException("cannot read " + metrics + ": " + csv.error());
        }
        double[] tokenCol = csv.doubles("tokens");
        double[] tpsCol = csv.doubles("tokens_per_s");
        double tokens = 0;
        double seconds = 0;
        double allSeconds = 0;
        long prevTokens = 0;
        boolean first = true;
        for (int i = 0; i < csv.size(); i++) {
            if (Double.isNaN(tpsCol[i])) {
                continue; // no timing at this row (the step-0 evaluation)
            }
            long tok = (long) tokenCol[i];
            double rowTokens = tok - prevTokens;
            prevTokens = tok;
            double rowSeconds = rowTokens / tpsCol[i];
            allSeconds += rowSeconds;
            if (first) {
                first = false;
                continue;
            }
            tokens += rowTokens;
            seconds += rowSeconds;
        }
        if (seconds <= 0) {
            throw ScalingLabException.data(metrics + " has too few timed rows for the probe",
                    "raise estimate.probe_steps");
        }
        return new double[] {tokens / seconds, allSeconds};
    }

    /** Longest-processing-time-first makespan of these durations on {@code slots} parallel slots. */
    public static double makespan(List<Double> durations, int slots) {
        PriorityQueue<Double> loads = new PriorityQueue<>();
        for (int i = 0; i < slots; i++) {
            loads.add(0.0);
        }
        durations.stream().sorted(Comparator.reverseOrder()).forEach(d -> loads.add(loads.poll() + d));
        return loads.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static void deleteTree(Path root) {
        try (var s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            });
        } catch (IOException ignored) {
            // same
        }
    }
}
