package org.scalinglab.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.List;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.io.Json;
import org.scalinglab.study.Study;
import org.scalinglab.sweep.Planner;
import org.scalinglab.sweep.SweepConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scalinglab plan}: the runs of a sweep, their sizes and FLOPs, and how long they should take. */
@Command(name = "plan", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
    "List a sweep's runs, sizes, FLOPs and estimated times, without training.",
    "Print a sweep's runs (id, shape, N in three conventions, D, C in two, D/N, estimated time) and totals, "
        + "without training. Times come from a short throughput probe on this machine, cached in "
        + "results/<sweep>/probe.json. Impossible plans (fewer tokens than one batch, a shape that does not "
        + "fit the device, too few shapes around a budget's optimum) are refused with the reason."})
final class PlanCommand implements Callable<Integer> {
    private void plan(SweepConfig config, Planner.Probe probe, PrintWriter out, PrintWriter err) {
        if (json) {
            out.print(Json.write(new Study(config, sweep.file, err, err).planJson(probe)));
            out.flush();
        } else {
            new Study(config, sweep.file, out, err).plan(probe);
        }
    }

    /** ConfigValidator's refusal of a text source without a path. */
    static final String TEXT_WITHOUT_PATH = "'base.data.path' is required when data.source is text";

    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Mixin
    SweepOptions sweep;

    @Option(names = "--no-probe", description = "Skip the throughput probe (times only from estimate.flops_per_second).")
    boolean noProbe;

    @Option(names = "--json", description = "Print the plan as one JSON object on stdout (schema "
            + "scalinglab.plan/1); the probe's progress goes to stderr.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Planner.Probe probe = noProbe ? Planner.Probe.OFF : Planner.Probe.ON;
        try {
            plan(sweep.load(), probe, out, err);
        } catch (ScalingLabException e) {
            if (e.getMessage() == null || !e.getMessage().contains(TEXT_WITHOUT_PATH)) {
                throw e;
            }
            // a byte-level text sweep shipped without its corpus (isoflop-mini on a fresh clone): the embedded
            // corpus is byte-level text too, so the shapes, N, D and C are the same; only the run ids (which hash
            // the data config) and the check that no run repeats the corpus need the real one
            err.println("plan: base.data.path is not set: planned on the embedded corpus in its place (the same "
                    + "byte-level vocabulary, so the same sizes, tokens and FLOPs, without a probe); run ids and the "
                    + "check that no run repeats its data need the corpus: --set base.data.path=<text file or folder>");
            err.flush();
            sweep.overrides.addAll(List.of("base.data.source=embedded", "design.max_epochs=1e9"));
            plan(sweep.load(), Planner.Probe.OFF, out, err);
        }
        return ExitCode.OK.code();
    }
}
