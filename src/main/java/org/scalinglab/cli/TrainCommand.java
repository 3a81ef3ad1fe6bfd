package org.scalinglab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.scalinglab.ExitCode;
import org.scalinglab.config.ConfigLoader;
import org.scalinglab.config.RunConfig;
import org.scalinglab.train.runfolder.RunRecords.RunResult;
import org.scalinglab.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code scalinglab train}: one run, resumed from its checkpoint when its folder has one. */
@Command(name = "train", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = {
    "Train one GPT run and record its losses and FLOPs in its run folder.",
    "A killed run resumes from its last checkpoint when started again with the same config."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Parameters(paramLabel = "<config.yaml>", description = "Run config (see docs/configuration.md).")
    Path config;

    @Option(names = "--set", paramLabel = "<key=value>", description = "Override a config key, e.g. train.batch_size=32 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--device", paramLabel = "<device>", description = "cpu, gpu, gpu:N or auto (same as --set device=...).")
    String device;

    @Option(names = "--out", paramLabel = "<dir>", description = "Run folder (default: results/<name>/runs/<run-id>).")
    Path out;

    @Override
    public Integer call() {
        List<String> sets = new ArrayList<>(overrides);
        if (device != null) {
            sets.add("device=" + device);
        }
        RunConfig rc = ConfigLoader.load(config, sets);
        Path runDir = out != null ? out : Path.of("results", rc.name(), "runs", rc.id());
        RunResult result = new Trainer(rc, runDir, new ConsoleTrainingListener(spec.commandLine().getOut(), runDir)).run();
        if (!result.completed()) {
            spec.commandLine().getErr().println("scalinglab: error: run " + result.runId() + " " + result.message());
            return ExitCode.DIVERGED.code();
        }
        return ExitCode.OK.code();
    }
}
