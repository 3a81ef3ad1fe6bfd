package org.scalinglab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.io.Json;
import org.scalinglab.study.Study;
import org.scalinglab.sweep.Planner;
import org.scalinglab.sweep.RunWorker;
import org.scalinglab.sweep.RunsTable;
import org.scalinglab.sweep.SweepConfig;
import org.scalinglab.sweep.SweepFolder;
import org.scalinglab.sweep.Sweeper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scalinglab sweep}: trains (or submits) a sweep's unfinished runs; {@code --status} reports. */
@Command(name = "sweep", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
    "Train every unfinished run of a sweep, on local workers or as a Slurm job array.",
    "Train every unfinished run of a sweep: on this machine's GPUs or CPU cores as worker processes, or as a "
        + "Slurm job array. Results go to results/<sweep>/runs/<run-id>/ and results/<sweep>/runs.csv.",
    "Kill it at any moment and start it again: finished runs are kept, the others resume from their last "
        + "checkpoint. A diverged run is recorded as such and the sweep goes on (exit 0 with a warning)."})
final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Mixin
    SweepOptions sweep;

    @Option(names = "--status", description = "Report the sweep's progress from its results (and Slurm's queue); train nothing.")
    boolean status;

    @Option(names = "--json", description = "With --status: print it as one JSON object on stdout (schema "
            + "scalinglab.sweep-status/1).")
    boolean json;

    @Option(names = "--wait", description = "With --executor slurm: follow the submitted runs until none is queued or running.")
    boolean waitForSlurm;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SweepConfig config = sweep.load();
        Sweeper sweeper = new Sweeper(config, sweep.file, out, err);
        if (json && !status) {
            throw new ScalingLabException(ExitCode.USAGE, "--json goes with --status (a sweep's own output is its "
                    + "results folder: runs.csv, metrics.csv)", "scalinglab sweep " + sweep.file + " --status --json");
        }
        if (status) {
            if (json) {
                out.print(Json.write(sweeper.statusJson()));
                out.flush();
                return ExitCode.OK.code();
            }
            return sweeper.status();
        }
        return new Study(config, sweep.file, out, err).train(Planner.Probe.CACHED, waitForSlurm);
    }

    /** The worker process of a sweep: trains one run folder. Not for direct use. */
    @Command(name = "sweep-worker", hidden = true, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = "Train one run folder of a sweep (the sweep starts these).")
    static final class Worker implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        VerboseOption verbose;

        @Parameters(index = "0", paramLabel = "<run-dir>", description = "results/<sweep>/runs/<run-id>")
        Path runDir;

        @Option(names = "--device", paramLabel = "<device>")
        String device;

        @Option(names = "--threads", paramLabel = "<n>")
        Integer threads;

        @Option(names = "--exit-with-parent", description = "Exit when stdin closes (the sweep that started it died).")
        boolean exitWithParent;

        @Option(names = "--update-table", description = "Rebuild the sweep's runs.csv afterwards (Slurm tasks).")
        boolean updateTable;

        @Override
        public Integer call() {
            if (exitWithParent) {
                RunWorker.exitWithParent();
            }
            PrintWriter out = spec.commandLine().getOut();
            try {
                int code = RunWorker.run(runDir, device, threads, new ConsoleTrainingListener(out, runDir));
                if (code == ExitCode.DIVERGED.code()) {
                    spec.commandLine().getErr().println("scalinglab: error: run " + runDir.getFileName() + " diverged");
                }
                return code;
            } finally {
                if (updateTable) {
                    try {
                        RunsTable.write(new SweepFolder(runDir.toAbsolutePath().getParent().getParent()));
                    } catch (ScalingLabException e) {
                        spec.commandLine().getErr().println("scalinglab: warning: runs.csv not rebuilt: " + e.getMessage());
                    }
                }
            }
        }
    }
}
