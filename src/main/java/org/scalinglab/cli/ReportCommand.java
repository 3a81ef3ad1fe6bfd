package org.scalinglab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.report.SweepReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scalinglab report}: figures and a self-contained HTML page for a sweep and its fit. */
@Command(name = "report", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
    "Write a sweep's HTML report: figures and tables, self-contained.",
    "Draw a sweep's training curves, IsoFLOP profiles, compute-optimal allocation, loss frontier, "
            + "L(N, D) contours, held-out validation and residuals, and write them with tables of runs, fits, "
            + "predictions and provenance to <out>/index.html (self-contained: opens without a network) and each "
            + "figure to <out>/figures/ as PNG and SVG (and PDF with --pdf).",
            "Without --fit it reads <results-dir>/fits.json, else fits in-process (approach all); without "
            + "--validation it reads <results-dir>/validation.json, else holds out the top budget in-process "
            + "when there are two budgets or more. Both are then saved in <out>."},
        exitCodeListHeading = "%nExit codes:%n")
final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Parameters(index = "0", paramLabel = "<results-dir>",
            description = "A sweep's results folder (run folders up to three levels down) or one run folder.")
    Path results;

    @Option(names = "--fit", paramLabel = "<fits.json>", description = "Fits to draw (from 'scalinglab fit --out').")
    Path fit;

    @Option(names = "--validation", paramLabel = "<validation.json>",
            description = "Held-out validation to draw (from 'scalinglab validate --out').")
    Path validation;

    @Option(names = "--out", paramLabel = "<dir>", description = "Report folder (default: <results-dir>/report).")
    Path out;

    @Option(names = "--pdf", description = "Also write each figure as PDF (vector, text as text; about 6x the time of the SVG, "
            + "so off by default).")
    boolean pdf;

    @Option(names = "--bootstrap", paramLabel = "<n>", defaultValue = "" + SweepReport.DEFAULT_BOOTSTRAP,
            description = "Bootstrap refits when fitting or validating in-process (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    /** The exit codes this command can end with, in its own words (its help's list). */
    static void exitCodes(CommandSpec report) {
        report.usageMessage().exitCodeList(ExitCode.helpList(Map.of(
                ExitCode.DATA, "no runs, no completed runs, or an unreadable fits.json/validation.json",
                ExitCode.OUTPUT, "the report folder cannot be written"),
                ExitCode.OK, ExitCode.USAGE, ExitCode.DATA, ExitCode.OUTPUT));
    }

    @Override
    public Integer call() {
        if (bootstrap < 0) {
            throw new ScalingLabException(ExitCode.USAGE, "--bootstrap must be >= 0, got " + bootstrap, null);
        }
        SweepReport report = new SweepReport(results).withFit(fit).withValidation(validation).withBootstrap(bootstrap)
                .withPdf(pdf);
        if (out != null) {
            report = report.withOut(out);
        }
        write(report, spec.commandLine().getOut());
        return ExitCode.OK.code();
    }

    /** Writes the report and prints what it wrote; what {@code report} does, and {@code run}'s report step. */
    static SweepReport.Result write(SweepReport report, PrintWriter o) {
        SweepReport.Result r = report.write(o);
        o.printf("report: %d figures drawn%s, %d files in %s%n", r.figuresDrawn(),
                r.figuresOmitted() == 0 ? "" : ", " + r.figuresOmitted() + " replaced by a note", r.files().size(),
                report.outDir());
        r.notes().forEach(n -> o.println("  note: " + n));
        o.println("wrote " + r.index().toAbsolutePath().normalize());
        return r;
    }
}
