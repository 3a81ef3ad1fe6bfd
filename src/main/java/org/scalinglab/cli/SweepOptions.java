package org.scalinglab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.scalinglab.sweep.SweepConfig;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The sweep file and the options that override its executor settings: a mixin of plan, sweep and run.
 */
final class SweepOptions {
    @Parameters(index = "0", paramLabel = "<sweep.yaml>", description = "Sweep config (see docs/configuration.md).")
    Path file;

    @Option(names = "--set", paramLabel = "<key=value>",
            description = "Override a sweep config key, e.g. base.train.optimizer.lr=0.01 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--executor", paramLabel = "<local|slurm>", description = "Where runs train (executor.kind).")
    String executor;

    @Option(names = "--devices", paramLabel = "<devices>",
            description = "auto, cpu, gpu (every GPU) or gpu:0,gpu:1 (executor.devices).")
    String devices;

    @Option(names = "--runs-per-device", paramLabel = "<k|auto>",
            description = "Runs at once per GPU, or CPU workers; auto measures (executor.runs_per_device).")
    String runsPerDevice;

    @Option(names = "--threads-per-run", paramLabel = "<n>", description = "CPU threads of each run (executor.threads_per_run).")
    Integer threadsPerRun;

    SweepConfig load() {
        List<String> sets = new ArrayList<>(overrides);
        if (executor != null) {
            sets.add("executor.kind=" + executor);
        }
        if (devices != null) {
            sets.add("executor.devices=" + devices);
        }
        if (runsPerDevice != null) {
            sets.add("executor.runs_per_device=" + runsPerDevice);
        }
        if (threadsPerRun != null) {
            sets.add("executor.threads_per_run=" + threadsPerRun);
        }
        return SweepConfig.load(file, sets);
    }
}
