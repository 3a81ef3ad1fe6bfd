package org.scalinglab.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.IntSupplier;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.TrainConfig;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.input.ReadOptions;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.input.RunTableReader;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.law.FitSettings;
import org.scalinglab.fit.output.FitsJson;
import org.scalinglab.fit.output.ReportText;
import org.scalinglab.fit.run.HoldoutValidation;
import org.scalinglab.fit.uncertainty.CheckValidation;
import org.scalinglab.fit.uncertainty.ValidationReport;
import org.scalinglab.io.Json;
import org.scalinglab.report.SweepReport;
import org.scalinglab.study.Study;
import org.scalinglab.study.StudyVerdict;
import org.scalinglab.sweep.Planner;
import org.scalinglab.sweep.SweepConfig;
import org.scalinglab.sweep.SweepDesign;
import org.scalinglab.sweep.SweepFolder;
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
        SweepConfig config = sweep.load();
        Study study = new Study(config, sweep.file, out, err);
        out.println("== sweep");
        out.flush();
        int code = study.train(noProbe ? Planner.Probe.OFF : Planner.Probe.ON, true);
        if (code == ExitCode.OK.code()) {
            code = AnalysisSteps.run(study, SweepDesign.resolveBase(config).train(), out, err);
        }
        if (json) {
            stdout.print(Json.write(summaryJson(study.folder(), code)));
            stdout.flush();
        }
        return code;
    }

    /**
     * {@code run --json}: the exit code, the files the study wrote and what it found, as the summary's
     * lines say it (StudyVerdict) and as numbers: the recommended law, the held-out error and coverage.
     */
    static java.util.Map<String, Object> summaryJson(Path dir, int code) {
        java.util.Map<String, Object> j = new java.util.LinkedHashMap<>();
        j.put("schema", "scalinglab.run-summary/1");
        j.put("folder", dir.toString());
        j.put("exit_code", code);
        java.util.Map<String, Object> files = new java.util.LinkedHashMap<>();
        for (Path p : List.of(dir.resolve("runs.csv"), dir.resolve("metrics.csv"), AnalysisSteps.fits(dir),
                AnalysisSteps.validation(dir), dir.resolve("report").resolve("index.html"))) {
            files.put(p.getFileName().toString(), Files.isRegularFile(p) ? p.toString() : null);
        }
        j.put("files", files);
        boolean fitted = Files.isRegularFile(AnalysisSteps.fits(dir));
        FitReport fit = fitted ? FitsJson.read(AnalysisSteps.fits(dir)) : null;
        ValidationReport v = Files.isRegularFile(AnalysisSteps.validation(dir))
                ? Json.read(AnalysisSteps.validation(dir), ValidationReport.class) : null;
        j.put("recommended", fit == null ? null : fit.recommended());
        j.put("ranking_verdict", fit == null || fit.ranking() == null ? null : fit.ranking().verdict());
        if (v != null && v.summary() != null) {
            java.util.Map<String, Object> h = new java.util.LinkedHashMap<>();
            h.put("holdout", v.holdout());
            h.put("approach", v.approach());
            h.put("runs", v.summary().n());
            h.put("mean_abs_rel_error", v.summary().meanAbsRelError());
            h.put("coverage", v.summary().coverage());
            h.put("level", v.level());
            j.put("held_out", h);
        }
        j.put("supported_below_N", fit == null || fit.lossCurvature() == null ? null
                : fit.lossCurvature().unsupportedFromN());
        j.put("lines", fit == null ? List.of() : StudyVerdict.of(dir, fit, v).lines());
        return j;
    }

    /**
     * The analysis after a sweep, each step the code of one CLI command called in this process with
     * the options named by {@link #commands}: fit (every approach, written to fits.json), validate
     * (the largest budget held out, written to validation.json), report (drawing both). A step prints
     * what its command prints, and a failed step names its command, so it can be rerun alone.
     */
    static final class AnalysisSteps {
        private AnalysisSteps() {}

        /** The commands that the fit and validate steps do the work of, in order. */
        static List<String[]> commands(Path dir, TrainConfig t) {
            String params = t.paramsConvention().option();
            String flops = t.flopsConvention().option();
            return List.of(
                    new String[] {"fit", dir.toString(), "--approach", "all", "--out", fits(dir).toString(),
                        "--param-convention", params, "--flop-convention", flops},
                    new String[] {"validate", dir.toString(), "--holdout", "top-budget", "--out",
                        validation(dir).toString(), "--param-convention", params, "--flop-convention", flops});
        }

        /** The report of what the steps before it wrote (a fit that could not be made leaves no file). */
        static String[] report(Path dir) {
            List<String> args = new ArrayList<>(List.of("report", dir.toString()));
            if (Files.isRegularFile(fits(dir))) {
                args.addAll(List.of("--fit", fits(dir).toString()));
            }
            if (Files.isRegularFile(validation(dir))) {
                args.addAll(List.of("--validation", validation(dir).toString()));
            }
            return args.toArray(String[]::new);
        }

        /** {@code fit <dir> --approach all --out <dir>/fits.json} in the runs' conventions. */
        static void fit(Path dir, TrainConfig t, PrintWriter out) {
            FitSettings settings = settings(Approach.ALL, t);
            FitCommand.fit(RunTableReader.read(dir, readOptions(t)), settings, fits(dir), false, out);
        }

        /**
         * {@code validate <dir> --holdout top-budget --approach <law> --out <dir>/validation.json}: the
         * fit's recommended law; without one, each law with a loss at any (N, D) in turn (approach 3,
         * then Kaplan's joint law) until one validates.
         */
        static void validate(Path dir, TrainConfig t, PrintWriter out) {
            ScalingLabException last = null;
            RunTable runs = RunTableReader.read(dir, readOptions(t));
            for (Approach a : Study.validationOrder(dir)) {
                try {
                    ValidateCommand.validate(new HoldoutValidation(a, "top-budget", settings(a, t)), runs,
                            validation(dir), false, out);
                    return;
                } catch (ScalingLabException e) {
                    if (e.exitCode() != ExitCode.FIT) {
                        throw e;
                    }
                    out.println("validate: " + a.key() + " cannot be validated: " + e.getMessage());
                    last = e;
                }
            }
            throw last;
        }

        /** {@code report <dir>}, with the fits and validation the steps before it wrote. */
        static void report(Path dir, PrintWriter out) {
            SweepReport report = new SweepReport(dir).withBootstrap(SweepReport.DEFAULT_BOOTSTRAP);
            if (Files.isRegularFile(fits(dir))) {
                report = report.withFit(fits(dir));
            }
            if (Files.isRegularFile(validation(dir))) {
                report = report.withValidation(validation(dir));
            }
            ReportCommand.write(report, out);
        }

        /** The fit and validate commands' defaults, in the runs' own conventions. */
        private static FitSettings settings(Approach a, TrainConfig t) {
            return FitSettings.defaults(a, t.paramsConvention(), t.flopsConvention());
        }

        private static ReadOptions readOptions(TrainConfig t) {
            return ReadOptions.defaults().withConventions(t.paramsConvention(), t.flopsConvention());
        }

        /**
         * The check stage: trains the check budget around the fit's N_opt, then compares it with the fit's
         * predictions, adding the comparison to validation.json.
         */
        static int check(Study study, Path dir, TrainConfig t, PrintWriter out, PrintWriter err) {
            out.println("== check");
            out.flush();
            if (!Files.isRegularFile(fits(dir))) {
                err.println("scalinglab: error: no fits.json, so no check (the fit failed above)");
                return ExitCode.FIT.code();
            }
            FitReport fit = FitsJson.read(fits(dir));
            int code;
            try {
                code = study.check(fit, true);
            } catch (ScalingLabException e) {
                if (e.exitCode() != ExitCode.FIT) {
                    throw e;
                }
                return ScalingLab.printError(e, err, Boolean.getBoolean("scalinglab.verbose"));
            }
            if (code != ExitCode.OK.code()) {
                return code;
            }
            ReadOptions read = readOptions(t);
            CheckValidation.Report report = study.evaluateCheck(fit, RunTableReader.read(dir, read),
                    RunTableReader.read(study.checkFolder(), read));
            out.print(ReportText.check(report));
            study.recordCheck(report);
            out.flush();
            return ExitCode.OK.code();
        }

        static Path fits(Path dir) {
            return new SweepFolder(dir).fitsJson();
        }

        static Path validation(Path dir) {
            return new SweepFolder(dir).validationJson();
        }

        /**
         * Runs the steps in order. A step that finds too little to fit (exit code 9: one budget cannot
         * be validated, say) does not stop the later ones, so the report is still written; {@code run}
         * then exits with that code. Any other failure stops here.
         */
        static int run(Study study, TrainConfig t, PrintWriter out, PrintWriter err) {
            Path dir = study.folder();
            List<String[]> commands = commands(dir, t);
            List<IntSupplier> steps = new ArrayList<>();
            steps.add(() -> step(commands.get(0), () -> fit(dir, t, out), out, err));
            steps.add(() -> step(commands.get(1), () -> validate(dir, t, out), out, err));
            if (study.checks()) {
                steps.add(() -> check(study, dir, t, out, err));
            }
            // the report's options depend on what the steps before it wrote
            steps.add(() -> step(report(dir), () -> report(dir, out), out, err));
            int[] codes = new int[steps.size()];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = steps.get(i).getAsInt();
                if (codes[i] != ExitCode.OK.code() && codes[i] != ExitCode.FIT.code()) {
                    return codes[i];
                }
            }
            // judged by what this run's steps did: a fits.json or validation.json of an earlier run does not count
            int code = summary(dir, codes[0] == ExitCode.OK.code(), codes[1] == ExitCode.OK.code(), out, err);
            return code != ExitCode.OK.code() ? code
                    : java.util.Arrays.stream(codes).filter(c -> c != ExitCode.OK.code()).findFirst().orElse(code);
        }

        /**
         * What the study found ({@link StudyVerdict}), as the last lines; exit 0 when a law was fitted
         * and validated, else 9 with the reason.
         */
        static int summary(Path dir, PrintWriter out, PrintWriter err) {
            return summary(dir, true, true, out, err);
        }

        /** As {@link #summary(Path, PrintWriter, PrintWriter)}, given whether this run's fit and validate steps succeeded. */
        static int summary(Path dir, boolean fitted, boolean validated, PrintWriter out, PrintWriter err) {
            out.println("== summary");
            if (!fitted || !Files.isRegularFile(fits(dir))) {
                out.flush();
                err.println("scalinglab: error: no law could be fitted to the study's runs (see the fit step above)");
                return ExitCode.FIT.code();
            }
            FitReport fit = FitsJson.read(fits(dir));
            ValidationReport v = validated && Files.isRegularFile(validation(dir))
                    ? Json.read(validation(dir), ValidationReport.class) : null;
            for (String line : StudyVerdict.of(dir, fit, v).lines()) {
                out.println(line);
            }
            out.flush();
            if (v == null) {
                err.println("scalinglab: error: no law could be validated on the held-out budget (see the validate "
                        + "step above)");
                return ExitCode.FIT.code();
            }
            return ExitCode.OK.code();
        }

        /**
         * One step: its header, its work, its error printed as its command would print it, and the
         * command it stood for when it failed; returns its exit code.
         */
        private static int step(String[] command, Runnable work, PrintWriter out, PrintWriter err) {
            out.println("== " + command[0]);
            out.flush();
            int code = ExitCode.OK.code();
            try {
                work.run();
            } catch (RuntimeException e) {
                // one line per error: the step's, with the command that reruns it alone
                code = ScalingLab.printError(e, err, Boolean.getBoolean("scalinglab.verbose"), " (in the "
                        + command[0] + " step: 'scalinglab " + String.join(" ", command) + "' reruns it)");
            }
            out.flush();
            err.flush();
            return code;
        }
    }
}
