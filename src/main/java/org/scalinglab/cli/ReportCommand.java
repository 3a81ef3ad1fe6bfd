package org.scalinglab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.fit.law.FitSettings;
import org.scalinglab.report.SweepReport;
import org.scalinglab.study.Analysis;
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
            "Without --fit it reads <results-dir>/fits.json, without --validation <results-dir>/validation.json, "
            + "and <results-dir>/phenomena.json; a missing one is made first, as 'scalinglab fit <results-dir> --out "
            + "<results-dir>', 'scalinglab validate <results-dir> --out <results-dir>' (the fit's recommended law, the "
            + "top budget held out) and 'scalinglab phenomena <results-dir> --out <results-dir>' make it, in the "
            + "conventions the runs were trained in, and saved there; one the runs cannot support is a note on the "
            + "page. The report itself fits nothing."},
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

    @Option(names = "--bootstrap", paramLabel = "<n>", description = "Bootstrap refits of a fit, validation or "
            + "phenomena.json made first (default: ${DEFAULT-VALUE}, as fit, validate and phenomena).",
            defaultValue = "" + FitSettings.DEFAULT_BOOTSTRAP)
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
        PrintWriter o = spec.commandLine().getOut();
        SweepReport report = Analysis.ofRuns(results).withBootstrap(bootstrap).report(fit, validation, o).withPdf(pdf);
        if (out != null) {
            report = report.withOut(out);
        }
        Analysis.render(report, o);
        return ExitCode.OK.code();
    }
}
