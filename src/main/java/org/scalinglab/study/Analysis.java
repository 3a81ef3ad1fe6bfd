package org.scalinglab.study;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.config.TrainConfig;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.approach.ParametricFit;
import org.scalinglab.fit.input.ReadOptions;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.input.RunTableReader;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.law.FitSettings;
import org.scalinglab.fit.optim.Bootstrap;
import org.scalinglab.fit.output.FitsJson;
import org.scalinglab.fit.output.ReportText;
import org.scalinglab.fit.phenomena.Phenomena;
import org.scalinglab.fit.phenomena.PhenomenaText;
import org.scalinglab.fit.phenomena.RunMetrics;
import org.scalinglab.fit.run.FitRunner;
import org.scalinglab.fit.run.HoldoutValidation;
import org.scalinglab.fit.uncertainty.CheckValidation;
import org.scalinglab.fit.uncertainty.ValidationReport;
import org.scalinglab.io.Json;
import org.scalinglab.report.StudyVerdict;
import org.scalinglab.report.SweepReport;
import org.scalinglab.sweep.SweepFolder;
import org.scalinglab.train.runfolder.RunFolder;
import org.scalinglab.train.runfolder.RunFolders;

/**
 * The analysis of a trained study's results folder, each step the work of one CLI command with the
 * options {@link #commands} names: fit (every approach, to fits.json), validate (the largest budget held
 * out, to validation.json), the check stage when the study has one (check.json, merged into
 * validation.json), and the report drawing them; then the summary of what the study found. A step prints
 * what its command prints, and a failed step names its command, so it can be rerun alone. The fit and
 * validate commands' defaults are used, in the runs' own conventions. {@code run} runs every step
 * ({@link Study#analyse}); {@code report} asks for the files its report lacks ({@link #report(Path, Path,
 * PrintWriter)}), so that the report reads and renders and never fits. Immutable.
 */
public final class Analysis {
    private final SweepFolder folder;
    private final ParamConvention params;
    private final FlopConvention flops;
    private final int bootstrap;
    private final ParametricFit parametric;

    private Analysis(SweepFolder folder, ParamConvention params, FlopConvention flops, int bootstrap,
            ParametricFit parametric) {
        this.folder = folder;
        this.params = params;
        this.flops = flops;
        this.bootstrap = bootstrap;
        this.parametric = parametric;
    }

    /** The analysis of the results in {@code dir}, in the conventions the runs were trained in. */
    public static Analysis of(Path dir, TrainConfig t) {
        return of(dir, t.paramsConvention(), t.flopsConvention());
    }

    /** The analysis of the results in {@code dir}, reading N and C in the given conventions. */
    public static Analysis of(Path dir, ParamConvention p, FlopConvention f) {
        return new Analysis(new SweepFolder(dir), p, f, FitSettings.DEFAULT_BOOTSTRAP, null);
    }

    /**
     * The analysis of the results in {@code dir}, in the conventions its runs were trained in (their
     * run.json), as {@code run} reads them; the defaults where the runs name none or disagree.
     */
    public static Analysis ofRuns(Path dir) {
        Set<String> p = new TreeSet<>();
        Set<String> f = new TreeSet<>();
        // a folder that is not there keeps the defaults: the report says what is wrong with it
        for (RunFolder r : Files.isDirectory(dir) ? RunFolders.under(dir) : List.<RunFolder>of()) {
            if (r.hasInfo()) {
                JsonNode train = r.info().config().path("train");
                p.add(train.path("params_convention").asText(""));
                f.add(train.path("flops_convention").asText(""));
            }
        }
        return of(dir, p.size() == 1 && !p.contains("") ? ParamConvention.parse(p.iterator().next()) : ParamConvention.DEFAULT,
                f.size() == 1 && !f.contains("") ? FlopConvention.parse(f.iterator().next()) : FlopConvention.DEFAULT);
    }

    /** Bootstrap refits of the fit and the validation (default: the fit command's). */
    public Analysis withBootstrap(int n) {
        return new Analysis(folder, params, flops, n, parametric);
    }

    /** Approach 3's fitter (tests use a smaller start grid); by default Chinchilla's. */
    public Analysis withParametricFit(ParametricFit p) {
        return new Analysis(folder, params, flops, bootstrap, p);
    }

    public Path dir() {
        return folder.root();
    }

    /** The commands that the fit, validate and phenomena steps do the work of, in order. */
    public List<String[]> commands() {
        String p = params.option();
        String f = flops.option();
        String dir = dir().toString();
        return List.of(
                new String[] {"fit", dir, "--approach", Approach.ALL.option(), "--out", folder.fitsJson().toString(),
                    "--param-convention", p, "--flop-convention", f},
                new String[] {"validate", dir, "--holdout", HoldoutValidation.TOP_BUDGET, "--out",
                    folder.validationJson().toString(), "--param-convention", p, "--flop-convention", f},
                new String[] {"phenomena", dir, "--out", folder.phenomenaJson().toString(), "--param-convention", p,
                    "--flop-convention", f});
    }

    /** The report of what the steps before it wrote (a fit that could not be made leaves no file). */
    public String[] reportCommand() {
        List<String> args = new ArrayList<>(List.of("report", dir().toString()));
        if (Files.isRegularFile(folder.fitsJson())) {
            args.addAll(List.of("--fit", folder.fitsJson().toString()));
        }
        if (Files.isRegularFile(folder.validationJson())) {
            args.addAll(List.of("--validation", folder.validationJson().toString()));
        }
        return args.toArray(String[]::new);
    }

    /** {@code fit <dir> --approach all --out <dir>/fits.json} in the runs' conventions. */
    public void fit(PrintWriter out) {
        FitRunner runner = new FitRunner(settings(Approach.ALL));
        fit(parametric == null ? runner : runner.withParametricFit(parametric), runs(), folder.fitsJson(), false, out);
    }

    /**
     * {@code validate <dir> --holdout top-budget --approach <law> --out <dir>/validation.json}: the
     * fit's recommended law; without one, each law with a loss at any (N, D) in turn (approach 3,
     * then Kaplan's joint law) until one validates.
     */
    public void validate(PrintWriter out) {
        ScalingLabException last = null;
        RunTable runs = runs();
        for (Approach a : validationOrder()) {
            try {
                validate(holdout(a), runs, folder.validationJson(), false, out);
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

    /**
     * {@code phenomena <dir> --out <dir>/phenomena.json}: metrics and emergence, broken power laws and the
     * critical batch, measured on the completed runs with the held-out forecasts of validation.json when
     * there is one.
     */
    public void phenomena(PrintWriter out) {
        Path v = folder.validationJson();
        phenomena(dir(), params, flops, bootstrap, Bootstrap.DEFAULT_SEED, Bootstrap.DEFAULT_LEVEL,
                Files.isRegularFile(v) ? v : null, folder.phenomenaJson(), false, out);
    }

    /**
     * Measures the phenomena of the runs in {@code dir}, with the held-out forecasts of {@code validation}
     * when given, writes them to {@code file} when given, and prints them (text or JSON); what
     * {@code phenomena} does once its options are read, and the phenomena step.
     */
    public static Phenomena.Report phenomena(Path dir, ParamConvention p, FlopConvention f, int bootstrap, long seed,
            double level, Path validation, Path file, boolean json, PrintWriter o) {
        List<RunMetrics> runs = RunMetrics.read(dir, p, f);
        if (runs.isEmpty()) {
            throw new ScalingLabException(ExitCode.FIT, "no completed runs in " + dir
                    + " (no result.json with status completed in it or up to three folders below)",
                    "wait for runs to complete, or point at a sweep's results folder");
        }
        ValidationReport forecasts = validation == null ? null : Json.read(validation, ValidationReport.class);
        Phenomena.Report r = new Phenomena(bootstrap, seed, level, p, f).run(runs, RunMetrics.withStages(dir, runs, p, f),
                forecasts);
        writeAndPrint(r, file, json, () -> PhenomenaText.render(r), o);
        return r;
    }

    /**
     * The laws the validate step tries in turn: the fit's recommended law (fits.json's, when there is one),
     * then the laws with a loss at any (N, D): approach 3, then Kaplan's joint law.
     */
    public List<Approach> validationOrder() {
        List<Approach> order = new ArrayList<>();
        if (Files.isRegularFile(folder.fitsJson())) {
            String rec = FitsJson.read(folder.fitsJson()).recommended();
            if (rec != null) {
                order.add(Approach.parse(rec));
            }
        }
        for (Approach a : List.of(Approach.PARAMETRIC, Approach.KAPLAN)) {
            if (!order.contains(a)) {
                order.add(a);
            }
        }
        return order;
    }

    /**
     * The report of this folder for {@code scalinglab report}: the fit and the validation each read from the
     * file given, else from the folder's own, else made first here, as the fit and validate steps make them
     * (saying so on {@code out}); a file that cannot be made is a note on the page, with the reason.
     *
     * @param fitFile the fits.json to draw, or null for the folder's (made when missing)
     * @param validationFile the validation.json to draw, or null for the folder's (made when missing)
     */
    public SweepReport report(Path fitFile, Path validationFile, PrintWriter out) {
        SweepReport report = new SweepReport(dir()).withFit(fitFile).withValidation(validationFile);
        report.checkRuns(); // nothing is fitted for a folder the report refuses
        if (fitFile == null && !Files.isRegularFile(folder.fitsJson())) {
            report = report.withoutFit(makeFirst(commands().get(0), () -> fit(out), "no fit", out));
        }
        if (validationFile == null && !Files.isRegularFile(folder.validationJson())) {
            report = report.withoutValidation(makeFirst(commands().get(1), () -> validate(out), "no validation", out));
        }
        if (!Files.isRegularFile(folder.phenomenaJson())) {
            report = report.withoutPhenomena(makeFirst(commands().get(2), () -> phenomena(out), "no phenomena", out));
        }
        return report;
    }

    /**
     * Makes a file the report needs, saying so first: null when made, else why not (a fit the runs cannot
     * support is the page's note, not a failure).
     */
    private String makeFirst(String[] command, Runnable make, String none, PrintWriter out) {
        Path file = Path.of(command[List.of(command).indexOf("--out") + 1]);
        out.println("report: no " + file.getFileName() + " in " + dir() + ": making it first, as '"
                + "scalinglab " + String.join(" ", command) + "' does");
        out.flush();
        try {
            make.run();
            return null;
        } catch (ScalingLabException e) {
            if (e.exitCode() != ExitCode.FIT) {
                throw e;
            }
            out.println("report: " + none + ": " + e.getMessage());
            return none + ": " + e.getMessage();
        } finally {
            out.flush();
        }
    }

    /**
     * The report step of {@link #run}: what the steps before it wrote, and in place of a file they could not
     * make, the reason ({@code whyNot} by file name, the step's error).
     */
    private void reportStep(Map<String, String> whyNot, PrintWriter out) {
        SweepReport report = new SweepReport(dir());
        if (Files.isRegularFile(folder.fitsJson())) {
            report = report.withFit(folder.fitsJson());
        } else {
            report = report.withoutFit("no fit: " + whyNot.getOrDefault(SweepFolder.FITS_JSON, "the fit step failed"));
        }
        if (Files.isRegularFile(folder.validationJson())) {
            report = report.withValidation(folder.validationJson());
        } else {
            report = report.withoutValidation("no validation: " + whyNot.getOrDefault(SweepFolder.VALIDATION_JSON,
                    "the validate step failed"));
        }
        if (!Files.isRegularFile(folder.phenomenaJson())) {
            report = report.withoutPhenomena("no phenomena: " + whyNot.getOrDefault(SweepFolder.PHENOMENA_JSON,
                    "the phenomena step failed"));
        }
        render(report, out);
    }

    /**
     * The check stage: trains the check budget around the fit's N_opt, then compares it with the fit's
     * predictions, adding the comparison to validation.json.
     */
    int check(Study study, PrintWriter out, PrintWriter err) {
        out.println("== check");
        out.flush();
        if (!Files.isRegularFile(folder.fitsJson())) {
            err.println("scalinglab: error: no " + SweepFolder.FITS_JSON + ", so no check (the fit failed above)");
            return ExitCode.FIT.code();
        }
        FitReport fit = FitsJson.read(folder.fitsJson());
        int code;
        try {
            code = study.check(fit, true);
        } catch (ScalingLabException e) {
            if (e.exitCode() != ExitCode.FIT) {
                throw e;
            }
            return ScalingLabException.print(e, err, verbose(), "");
        }
        if (code != ExitCode.OK.code()) {
            return code;
        }
        ReadOptions read = readOptions();
        CheckValidation.Report report = study.evaluateCheck(fit, runs(), RunTableReader.read(study.checkFolder(), read));
        out.print(ReportText.check(report));
        study.recordCheck(report);
        out.flush();
        return ExitCode.OK.code();
    }

    /**
     * Runs the steps in order, the check among them when {@code study} has one. A step that finds too
     * little to fit (exit code 9: one budget cannot be validated, say) does not stop the later ones, so the
     * report is still written; the analysis then ends with that code. Any other failure stops here.
     */
    int run(Study study, PrintWriter out, PrintWriter err) {
        List<String[]> commands = commands();
        Map<String, String> whyNot = new LinkedHashMap<>(); // by file name: the error of the step that did not make it
        List<IntSupplier> steps = new ArrayList<>();
        steps.add(() -> step(commands.get(0), () -> fit(out), e -> whyNot.put(SweepFolder.FITS_JSON, e), out, err));
        steps.add(() -> step(commands.get(1), () -> validate(out), e -> whyNot.put(SweepFolder.VALIDATION_JSON, e),
                out, err));
        if (study.checks()) {
            steps.add(() -> check(study, out, err));
        }
        steps.add(() -> step(commands.get(2), () -> phenomena(out), e -> whyNot.put(SweepFolder.PHENOMENA_JSON, e),
                out, err));
        // the report's options depend on what the steps before it wrote
        steps.add(() -> step(reportCommand(), () -> reportStep(whyNot, out), e -> {}, out, err));
        int[] codes = new int[steps.size()];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = steps.get(i).getAsInt();
            if (codes[i] != ExitCode.OK.code() && codes[i] != ExitCode.FIT.code()) {
                return codes[i];
            }
        }
        // judged by what this run's steps did: a fits.json or validation.json of an earlier run does not count
        int code = summary(codes[0] == ExitCode.OK.code(), codes[1] == ExitCode.OK.code(), out, err);
        return code != ExitCode.OK.code() ? code
                : Arrays.stream(codes).filter(c -> c != ExitCode.OK.code()).findFirst().orElse(code);
    }

    /**
     * What the study found ({@link StudyVerdict}), as the last lines; exit 0 when a law was fitted
     * and validated, else 9 with the reason.
     */
    public int summary(PrintWriter out, PrintWriter err) {
        return summary(true, true, out, err);
    }

    /** As {@link #summary(PrintWriter, PrintWriter)}, given whether this run's fit and validate steps succeeded. */
    int summary(boolean fitted, boolean validated, PrintWriter out, PrintWriter err) {
        out.println("== summary");
        if (!fitted || !Files.isRegularFile(folder.fitsJson())) {
            out.flush();
            err.println("scalinglab: error: no law could be fitted to the study's runs (see the fit step above)");
            return ExitCode.FIT.code();
        }
        FitReport fit = FitsJson.read(folder.fitsJson());
        ValidationReport v = validated && Files.isRegularFile(folder.validationJson())
                ? Json.read(folder.validationJson(), ValidationReport.class) : null;
        for (String line : StudyVerdict.of(dir(), fit, v).lines()) {
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
     * {@code run --json}'s summary (schema scalinglab.run-summary/1): the exit code, the files the study
     * wrote and what it found, as the summary's lines say it ({@link StudyVerdict}) and as numbers: the
     * recommended law, the held-out error and coverage.
     */
    public Map<String, Object> summaryJson(int code) {
        Path dir = dir();
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("schema", "scalinglab.run-summary/1");
        j.put("folder", dir.toString());
        j.put("exit_code", code);
        Map<String, Object> files = new LinkedHashMap<>();
        for (Path p : List.of(folder.runsCsv(), folder.metricsCsv(), folder.fitsJson(), folder.validationJson(),
                folder.report().resolve(SweepReport.INDEX))) {
            files.put(p.getFileName().toString(), Files.isRegularFile(p) ? p.toString() : null);
        }
        j.put("files", files);
        FitReport fit = Files.isRegularFile(folder.fitsJson()) ? FitsJson.read(folder.fitsJson()) : null;
        ValidationReport v = Files.isRegularFile(folder.validationJson())
                ? Json.read(folder.validationJson(), ValidationReport.class) : null;
        j.put("recommended", fit == null ? null : fit.recommended());
        j.put("ranking_verdict", fit == null || fit.ranking() == null ? null : fit.ranking().verdict());
        if (v != null && v.summary() != null) {
            Map<String, Object> h = new LinkedHashMap<>();
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
     * Fits the table, writes the fits to {@code out} when given, and prints them (an aligned table,
     * or JSON); what {@code fit} does once its options are read, and the fit step.
     */
    public static FitReport fit(RunTable table, FitSettings settings, Path out, boolean json, PrintWriter o) {
        return fit(new FitRunner(settings), table, out, json, o);
    }

    private static FitReport fit(FitRunner runner, RunTable table, Path out, boolean json, PrintWriter o) {
        FitReport report = runner.run(table);
        writeAndPrint(report, out, json, () -> ReportText.fit(report), o);
        return report;
    }

    /**
     * Validates on the table, writes the validation to {@code out} when given, and prints it (text or
     * JSON); what {@code validate} does once its options are read, and the validate step.
     */
    public static ValidationReport validate(HoldoutValidation v, RunTable table, Path out, boolean json,
            PrintWriter o) {
        ValidationReport report = v.validate(table);
        writeAndPrint(report, out, json, () -> ReportText.validation(report), o);
        return report;
    }

    /** Writes {@code value} to {@code file} (atomically) when given, and prints it: as JSON, or its text and where it went. */
    private static void writeAndPrint(Object value, Path file, boolean json, Supplier<String> text, PrintWriter o) {
        if (file != null) {
            Json.writeAtomically(file, value);
        }
        if (json) {
            o.print(Json.write(value));
        } else {
            o.print(text.get());
            if (file != null) {
                o.println("wrote " + file);
            }
        }
    }

    /** Writes the report and prints what it wrote; what {@code report} does, and the report step. */
    public static SweepReport.Result render(SweepReport report, PrintWriter o) {
        SweepReport.Result r = report.write(o);
        o.printf("report: %d figures drawn%s, %d files in %s%n", r.figuresDrawn(),
                r.figuresOmitted() == 0 ? "" : ", " + r.figuresOmitted() + " replaced by a note", r.files().size(),
                report.outDir());
        r.notes().forEach(n -> o.println("  note: " + n));
        o.println("wrote " + r.index().toAbsolutePath().normalize());
        return r;
    }

    /** The fit and validate commands' defaults for one approach, in the runs' own conventions. */
    private FitSettings settings(Approach a) {
        return FitSettings.defaults(a, params, flops).withBootstrap(bootstrap);
    }

    private HoldoutValidation holdout(Approach a) {
        HoldoutValidation v = new HoldoutValidation(a, HoldoutValidation.TOP_BUDGET, settings(a));
        return parametric == null ? v : v.withParametricFit(parametric);
    }

    private RunTable runs() {
        return RunTableReader.read(dir(), readOptions());
    }

    private ReadOptions readOptions() {
        return ReadOptions.defaults().withConventions(params, flops);
    }

    private static boolean verbose() {
        return Boolean.getBoolean("scalinglab.verbose");
    }

    /**
     * One step: its header, its work, its error printed as its command would print it, and the
     * command it stood for when it failed; returns its exit code.
     */
    private static int step(String[] command, Runnable work, Consumer<String> failed, PrintWriter out,
            PrintWriter err) {
        out.println("== " + command[0]);
        out.flush();
        int code = ExitCode.OK.code();
        try {
            work.run();
        } catch (RuntimeException e) {
            // one line per error: the step's, with the command that reruns it alone
            code = ScalingLabException.print(e, err, verbose(), " (in the " + command[0] + " step: 'scalinglab "
                    + String.join(" ", command) + "' reruns it)");
            failed.accept(e.getMessage());
        }
        out.flush();
        err.flush();
        return code;
    }
}
