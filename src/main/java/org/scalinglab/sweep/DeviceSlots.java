package org.scalinglab.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;

/**
 * Where a local sweep's runs go: one slot per run that trains at once. GPUs get k slots each (one
 * run per GPU by default; small models pack k per GPU as separate processes so that their host-side
 * work overlaps). The CPU gets k worker processes that share the cores: each run's libtorch uses
 * threads_per_run threads, or cores / k.
 */
public final class DeviceSlots {
    private DeviceSlots() {}

    /** A worker slot: the device its runs use and their CPU threads. */
    public record Slot(int index, String device, int threads) {
        public boolean gpu() {
            return device.startsWith("gpu");
        }
    }

    /** The devices a spec names, given the GPUs libtorch sees: auto, cpu, gpu (all), or gpu:0,gpu:2. */
    public static List<String> devices(String spec, int gpuCount) {
        String s = spec == null ? "auto" : spec.replace(" ", "").toLowerCase(Locale.ROOT);
        if (s.equals("auto")) {
            return gpuCount > 0 ? gpus(gpuCount) : List.of("cpu");
        }
        if (s.equals("cpu")) {
            return List.of("cpu");
        }
        if (gpuCount == 0) {
            throw new ScalingLabException(ExitCode.ENGINE, "devices '" + spec + "' name a GPU, and libtorch sees none",
                    "use --devices cpu, or set PYTORCH_LIBRARY_PATH to a CUDA libtorch (see 'scalinglab doctor')");
        }
        if (s.equals("gpu")) {
            return gpus(gpuCount);
        }
        List<String> out = new ArrayList<>();
        for (String d : s.split(",")) {
            int i;
            try {
                i = Integer.parseInt(d.substring(d.indexOf(':') + 1));
            } catch (RuntimeException e) {
                throw ScalingLabException.config("unknown device '" + d + "'", "use auto, cpu, gpu or gpu:0,gpu:1");
            }
            if (!d.startsWith("gpu:")) {
                throw ScalingLabException.config("unknown device '" + d + "'", "use auto, cpu, gpu or gpu:0,gpu:1");
            }
            if (i >= gpuCount) {
                throw new ScalingLabException(ExitCode.ENGINE, "device " + d + " is not available: libtorch sees "
                        + gpuCount + " GPU(s)", "use gpu:0 .. gpu:" + (gpuCount - 1));
            }
            if (!out.contains("gpu:" + i)) {
                out.add("gpu:" + i);
            }
        }
        return out;
    }

    private static List<String> gpus(int n) {
        List<String> g = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            g.add("gpu:" + i);
        }
        return g;
    }

    /**
     * Runs at once per device: the setting when given (k >= 1); else one per GPU, and on the CPU
     * cores / threads_per_run (1 when threads_per_run is 0: one run on every core).
     */
    public static int runsPerDevice(List<String> devices, int setting, int threadsPerRun, int cores) {
        if (setting >= 1) {
            return setting;
        }
        boolean cpu = devices.equals(List.of("cpu"));
        return cpu && threadsPerRun > 0 ? Math.max(1, cores / threadsPerRun) : 1;
    }

    /** The slots: each device k times, with threads_per_run threads or an even share of the cores. */
    public static List<Slot> slots(List<String> devices, int k, int threadsPerRun, int cores) {
        int total = devices.size() * k;
        int threads = threadsPerRun > 0 ? threadsPerRun : Math.max(1, cores / total);
        List<Slot> slots = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            for (String d : devices) {
                slots.add(new Slot(slots.size(), d, threads));
            }
        }
        return slots;
    }

    /** "2 runs at once on cpu, 1 thread each" or "4 runs at once: 2 per GPU on gpu:0, gpu:1". */
    public static String describe(List<Slot> slots) {
        List<String> devs = slots.stream().map(Slot::device).distinct().toList();
        int per = slots.size() / Math.max(1, devs.size());
        String threads = slots.get(0).threads() + " thread" + (slots.get(0).threads() == 1 ? "" : "s") + " each";
        if (devs.equals(List.of("cpu"))) {
            return slots.size() + " run" + (slots.size() == 1 ? "" : "s") + " at once on the CPU, " + threads;
        }
        return slots.size() + " run" + (slots.size() == 1 ? "" : "s") + " at once: " + per + " per GPU on "
                + String.join(", ", devs) + ", " + threads;
    }
}
