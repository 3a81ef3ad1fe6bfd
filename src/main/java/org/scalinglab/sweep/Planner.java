package org.scalinglab.sweep;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.TrainConfig;
import org.scalinglab.engine.TorchRuntime;
import org.scalinglab.io.JvmLauncher;
import org.scalinglab.sweep.DeviceSlots.Slot;
import org.scalinglab.sweep.SweepConfig.ExecutorKind;
import org.scalinglab.text.Numbers;
import org.scalinglab.train.MemoryEstimate;
import org.scalinglab.train.RunPlan;

/**
 * A sweep's plan on its target: the runs, where they go (local slots, or Slurm tasks), whether each
 * shape fits the device's memory, and how long each run should take, from a throughput probe on
 * this machine (or an assumed FLOP rate when the target device is not here). With
 * {@code runs_per_device: auto} the probe also chooses how many runs share a device.
 */
public final class Planner {
    private Planner() {}

    public enum Probe {
        /** No measurement; estimates only from estimate.flops_per_second. */
        OFF,
        /** A probe.json whose key matches, else as OFF (unless runs_per_device is auto, which needs one). */
        CACHED,
        /** Measure when probe.json does not match. */
        ON
    }

    /**
     * @param slots local executor: the worker slots; Slurm: one slot standing for a task
     * @param runsPerDevice runs at once per device (local) or 1 (Slurm)
     * @param seconds estimated seconds of each run (by id); empty when there is no estimate
     * @param wallSeconds estimated wall time of the whole sweep, NaN when unknown
     * @param unavailable why the target devices cannot be used from this machine, or null
     */
    public record Report(SweepPlan plan, ExecutorKind executor, List<Slot> slots, int runsPerDevice,
            Map<String, Double> seconds, double wallSeconds, ThroughputProbe.Result probe, List<String> notes,
            String unavailable) {

        public String target() {
            if (executor == ExecutorKind.SLURM) {
                var s = plan.sweep().slurm();
                return "Slurm array tasks with " + s.cpusPerTask() + " CPUs" + (s.gpusPerTask() > 0 ? " and "
                        + s.gpusPerTask() + " GPU(s)" : "") + " each";
            }
            return DeviceSlots.describe(slots);
        }
    }

    public static Report plan(SweepConfig sweep, Probe probe, JvmLauncher launcher, PrintWriter log) {
        SweepPlan plan = SweepDesign.plan(sweep);
        return plan(plan, new ProbeSource(new SweepFolder(sweep.folder()), plan.runs()), probe, launcher, log);
    }

    /**
     * Where a probe is cached and which runs' shapes it measures: a study's stages (tuning, check) use
     * the design's probe, so one measurement estimates them all.
     */
    public record ProbeSource(SweepFolder folder, List<PlannedRun> runs) {}

    /** The report of a given plan (a study's stage), its estimates from {@code source}'s probe. */
    public static Report plan(SweepPlan plan, ProbeSource source, Probe probe, JvmLauncher launcher, PrintWriter log) {
        SweepConfig sweep = plan.sweep();
        for (PlannedRun r : plan.runs()) {
            RunPlan.requireWarmupWithinRun(r.config(), r.plan(), "run " + r.label() + ": ");
        }
        List<String> notes = new ArrayList<>(plan.notes());
        var e = sweep.executor();
        int cores = Runtime.getRuntime().availableProcessors();
        boolean slurm = e.kind() == ExecutorKind.SLURM;
        boolean auto = !slurm && setting(sweep) == -1;
        String unavailable = null;
        List<String> devices;
        if (slurm) {
            devices = List.of(sweep.slurm().gpusPerTask() > 0 ? "gpu:0" : "cpu");
            if (devices.get(0).startsWith("gpu") && gpuCount() == 0) {
                unavailable = "no GPU on this machine to probe the Slurm tasks' GPUs";
            }
        } else {
            String spec = e.devices() != null ? e.devices() : plan.base().device();
            int gpus = spec.equals("cpu") ? 0 : gpuCount();
            try {
                devices = DeviceSlots.devices(spec, gpus);
            } catch (ScalingLabException x) {
                if (x.exitCode() != ExitCode.ENGINE || gpus > 0) {
                    throw x;
                }
                unavailable = x.getMessage() + " (hint: " + x.hint() + ")";
                devices = spec.contains(":") ? List.of(spec.replace(" ", "").split(",")) : List.of("gpu:0");
            }
        }
        boolean gpu = devices.get(0).startsWith("gpu");
        if (!gpu && plan.base().train().precision() != TrainConfig.Precision.FP32) {
            throw ScalingLabException.config("sweep config key 'base.train.precision' is "
                    + plan.base().train().precision().name().toLowerCase(Locale.ROOT) + ", which needs a CUDA GPU, "
                    + "and this sweep's runs go to the CPU", "use fp32, or run the sweep where a GPU is");
        }
        if (unavailable != null) {
            notes.add("target " + String.join(", ", devices) + " is not on this machine: " + unavailable);
        }
        List<Integer> candidates = new ArrayList<>();
        if (auto && !gpu && e.threadsPerRun() > 0) {
            // the CPU with a fixed thread count: every core busy, cores / threads_per_run runs at once. No
            // probe needed, and each run's numbers stay the same on any machine (its threads are fixed)
            auto = false;
            int k = cpuRunsAtOnce(cores, e.threadsPerRun(), plan.runs().size());
            candidates.add(k);
            notes.add(String.format(Locale.ROOT, "runs_per_device auto on the CPU: %d cores / threads_per_run %d = %d "
                    + "run%s at once", cores, e.threadsPerRun(), k, k == 1 ? "" : "s"));
        } else if (auto) {
            for (int k = 1; k <= (gpu ? 8 : Math.min(8, cores)); k *= 2) {
                candidates.add(k);
            }
        } else {
            candidates.add(slurm ? 1 : DeviceSlots.runsPerDevice(devices, setting(sweep), e.threadsPerRun(), cores));
        }
        candidates = fitting(plan, devices.get(0), gpu, candidates, auto);
        int[] threads = new int[65];
        for (int k : candidates) {
            threads[k] = slurm ? sweep.slurm().cpusPerTask()
                    : DeviceSlots.slots(devices, k, e.threadsPerRun(), cores).get(0).threads();
        }

        ThroughputProbe.Result result = null;
        Probe mode = auto && probe == Probe.CACHED ? Probe.ON : probe;
        if (mode != Probe.OFF && unavailable == null) {
            result = ThroughputProbe.measure(source.folder(), source.runs(), devices.get(0), candidates,
                    threads, sweep.estimate().probeSteps(), launcher, log, mode == Probe.ON);
        }
        int k = candidates.get(0);
        if (result != null && auto) {
            k = choosePacking(plan, devices.size(), result, notes);
        }
        List<Slot> slots = slurm ? List.of(new Slot(0, devices.get(0), sweep.slurm().cpusPerTask()))
                : DeviceSlots.slots(devices, k, e.threadsPerRun(), cores);
        Map<String, Double> seconds = new LinkedHashMap<>();
        if (result != null && result.speed(k) != null) {
            ThroughputProbe.Speed speed = result.speed(k);
            plan.runs().forEach(r -> seconds.put(r.id(), speed.seconds(r)));
            notes.add(probeNote(result, k));
        } else if (sweep.estimate().flopsPerSecond() != null) {
            double rate = sweep.estimate().flopsPerSecond();
            double step = sweep.estimate().stepSeconds();
            ThroughputProbe.Speed assumed = new ThroughputProbe.Speed(1, 0, 1 / rate, gpu ? 10 : 3);
            plan.runs().forEach(r -> seconds.put(r.id(), assumed.seconds(r)
                    + step * r.plan().steps() * ThroughputProbe.Speed.share(r)));
            notes.add(String.format(Locale.ROOT, "estimates assume %s FLOP/s and %s s per step of each run "
                    + "(estimate.flops_per_second, step_seconds), not a measurement on the target", Numbers.sci(rate),
                    step));
        }
        double wall = Double.NaN;
        if (!seconds.isEmpty()) {
            int parallel = slurm ? (sweep.slurm().maxParallel() > 0 ? sweep.slurm().maxParallel() : plan.runs().size())
                    : slots.size();
            wall = ThroughputProbe.makespan(new ArrayList<>(seconds.values()), parallel);
        }
        notes.addAll(CriticalBatchCheck.notes(plan, sweep.folder()));
        return new Report(plan, e.kind(), slots, slurm ? 1 : k, seconds, wall, result, notes, unavailable);
    }

    /**
     * Runs at once on the CPU for {@code runs_per_device: auto} with a fixed threads_per_run: the cores
     * divided among runs of that many threads, at least 1, at most the runs there are.
     */
    static int cpuRunsAtOnce(int cores, int threadsPerRun, int runs) {
        return Math.max(1, Math.min(Math.max(1, runs), cores / threadsPerRun));
    }

    private static int setting(SweepConfig sweep) {
        return sweep.executor().runsPerDeviceSetting();
    }

    /** Keeps the candidate k whose runs fit the device's memory; refuses a shape that fits at none. */
    static List<Integer> fitting(SweepPlan plan, String device, boolean gpu, List<Integer> candidates,
            boolean auto) {
        List<Integer> ok = new ArrayList<>();
        String worst = null;
        double worstBytes = 0;
        for (PlannedRun r : plan.runs()) {
            double b = MemoryEstimate.bytes(r.config(), r.plan(), gpu);
            if (b > worstBytes) {
                worstBytes = b;
                worst = r.plan().shape().label();
            }
        }
        for (int k : candidates) {
            OptionalLong cap = MemoryEstimate.capacity(device, k);
            if (cap.isEmpty() || worstBytes <= cap.getAsLong()) {
                ok.add(k);
            } else if (!auto || k == 1) {
                throw ScalingLabException.config(String.format(Locale.ROOT,
                        "shape %s does not fit: it needs about %.1f GiB (estimate) and %s has %.1f GiB per run "
                                + "with %d run%s at once", worst, worstBytes / (1 << 30), device,
                        cap.getAsLong() / (double) (1 << 30), k, k == 1 ? "" : "s"),
                        "use a smaller base.train.batch_size with grad_accum, fewer runs per device, or drop the shape");
            }
        }
        return ok;
    }

    /** Chooses k by the estimated wall time of the whole sweep; notes each k's measurement. */
    static int choosePacking(SweepPlan plan, int devices, ThroughputProbe.Result result, List<String> notes) {
        int best = 1;
        double bestWall = Double.POSITIVE_INFINITY;
        double single = Double.NaN;
        StringBuilder sb = new StringBuilder("packing (measured):");
        for (ThroughputProbe.Speed s : result.speeds()) {
            List<Double> secs = plan.runs().stream().map(s::seconds).toList();
            double wall = ThroughputProbe.makespan(secs, devices * s.runsAtOnce());
            ThroughputProbe.Point small = result.points().stream().filter(p -> p.runsAtOnce() == s.runsAtOnce())
                    .findFirst().orElseThrow();
            sb.append(String.format(Locale.ROOT, " %d per device: %s tokens/s in all on %s, sweep %s;",
                    s.runsAtOnce(), Numbers.si(small.tokensPerSecond() * s.runsAtOnce()), small.shape(),
                    Numbers.duration(wall)));
            if (s.runsAtOnce() == 1) {
                single = wall;
            }
            if (wall < bestWall * 0.95) { // a bigger k must win by 5% to be worth its memory
                best = s.runsAtOnce();
                bestWall = wall;
            }
        }
        sb.append(String.format(Locale.ROOT, " chose %d per device", best));
        if (!Double.isNaN(single) && best != 1) {
            sb.append(String.format(Locale.ROOT, " (%.2fx faster than 1)", single / bestWall));
        }
        notes.add(sb.toString());
        return best;
    }

    private static String probeNote(ThroughputProbe.Result r, int k) {
        StringBuilder sb = new StringBuilder("throughput probe on " + r.device() + " (" + r.measuredAt()
                + ", probe.json):");
        for (ThroughputProbe.Point p : r.points()) {
            if (p.runsAtOnce() == k) {
                sb.append(String.format(Locale.ROOT, " %s %s tokens/s per run;", p.shape(), Numbers.si(p.tokensPerSecond())));
            }
        }
        sb.append(String.format(Locale.ROOT, " %s start-up per run", Numbers.duration(r.speed(k).startupSeconds())));
        return sb.toString();
    }

    private static int gpuCount() {
        return TorchRuntime.engine().getGpuCount();
    }

}
