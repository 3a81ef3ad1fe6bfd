package org.scalinglab.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.scalinglab.ExitCode;
import org.scalinglab.io.Json;
import org.scalinglab.study.Study;
import org.scalinglab.sweep.Planner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scalinglab run}: the main job: plan, sweep, fit, validate, report. */
@Command(name = "run", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
    "The whole study in one command: plan, train, fit, validate and report a sweep.",
    "The whole study in one command: plan the sweep (printing its table), train it (resuming whatever is "
        + "finished), fit every scaling-law approach to it, validate the fit by holding out the largest budget, "
        + "and write the report, all under results/<sweep>/, then print what the study found: the recommended law, "
        + "its held-out error and coverage, its prediction at 10x, the sizes the data support. It exits 0 when the "
        + "study trained and a law was fitted and validated; a law the data do not identify is a finding in that "
        + "summary, not a failure. Exit 9 only when no law could be fitted or validated."})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Mixin
    SweepOptions sweep;

    @Option(names = "--no-probe", description = "Skip the throughput probe (no time estimates).")
    boolean noProbe;

    @Option(names = "--json", description = "End with the summary as one JSON object on stdout (schema "
            + "scalinglab.run-summary/1); every step's text goes to stderr.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = json ? err : stdout; // with --json stdout carries the summary alone
        Study study = new Study(sweep.load(), sweep.file, out, err);
        out.println("== sweep");
        out.flush();
        int code = study.train(noProbe ? Planner.Probe.OFF : Planner.Probe.ON, true);
        if (code == ExitCode.OK.code()) {
            code = study.analyse();
        }
        if (json) {
            stdout.print(Json.write(study.analysis().summaryJson(code)));
            stdout.flush();
        }
        return code;
    }
}
