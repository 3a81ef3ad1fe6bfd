package org.scalinglab.study;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.approach.BudgetGrouping;
import org.scalinglab.fit.approach.LrTuning;
import org.scalinglab.fit.approach.ParametricFit;
import org.scalinglab.fit.input.ReadOptions;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.input.RunTableReader;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.law.FitSettings;
import org.scalinglab.fit.output.FitsJson;
import org.scalinglab.fit.run.FitRunner;
import org.scalinglab.fit.run.HoldoutValidation;
import org.scalinglab.fit.uncertainty.CheckValidation;
import org.scalinglab.fit.uncertainty.ValidationReport;
import org.scalinglab.io.Json;
import org.scalinglab.sweep.SweepFolder;

/**
 * What a study's results folder holds for its report: the fit and the held-out validation, each read
 * from its file (the one given, else the folder's own), else made here in-process and saved beside the
 * report; the tuned learning-rate rule; the check stage's comparison. The report draws what this loads
 * and fits nothing itself.
 */
public final class StudyResults {
    private final Path resultsDir;
    private final Path fitFile;
    private final Path validationFile;
    private final int bootstrap;
    private final ParametricFit parametric;

    /**
     * @param fitFile the fits.json to read, or null for the folder's
     * @param validationFile the validation.json to read, or null for the folder's
     * @param bootstrap bootstrap refits of a fit or validation made here
     * @param parametric approach 3's fitter for fits made here, or null for Chinchilla's
     */
    public StudyResults(Path resultsDir, Path fitFile, Path validationFile, int bootstrap, ParametricFit parametric) {
        this.resultsDir = resultsDir;
        this.fitFile = fitFile;
        this.validationFile = validationFile;
        this.bootstrap = bootstrap;
        this.parametric = parametric;
    }

    /** A value, where it came from (or why there is none) and its file. */
    public record Loaded<T>(T value, String source, Path file) {}

    /**
     * The fit to draw: the file given, else the folder's fits.json, else a fit made here (approach all) and
     * saved in {@code out}; a fit the runs cannot support is a note, not a failure.
     */
    public Loaded<FitReport> fit(Path out, PrintWriter log, List<String> notes) {
        if (fitFile != null) {
            return new Loaded<>(FitsJson.read(fitFile), "read from " + fitFile, fitFile);
        }
        Path here = new SweepFolder(resultsDir).fitsJson();
        if (Files.isRegularFile(here)) {
            return new Loaded<>(FitsJson.read(here), "read from " + here, here);
        }
        log.println("report: no fits.json in " + resultsDir + ": fitting in-process (approach all, " + bootstrap
                + " bootstrap refits) ...");
        log.flush();
        try {
            RunTable table = RunTableReader.readResultsDir(resultsDir, ReadOptions.defaults());
            FitRunner runner = new FitRunner(FitSettings.defaults().withBootstrap(bootstrap));
            if (parametric != null) {
                runner = runner.withParametricFit(parametric);
            }
            FitReport r = runner.run(table);
            Path saved = out.resolve(SweepFolder.FITS_JSON);
            FitsJson.write(saved, r);
            String src = "fitted in-process by the report (approach all, " + bootstrap
                    + " bootstrap refits; no fits.json in the results folder), saved as " + saved;
            notes.add(src);
            return new Loaded<>(r, src, saved);
        } catch (ScalingLabException e) {
            if (e.exitCode() != ExitCode.FIT) {
                throw e;
            }
            String why = "no fit: " + e.getMessage();
            notes.add(why);
            return new Loaded<>(null, why, null);
        }
    }

    /**
     * The validation to draw: the file given, else the folder's validation.json, else approach 3 with the top
     * budget held out, made here and saved in {@code out} when the runs form two budgets or more.
     */
    public Loaded<ValidationReport> validation(RunTable table, FitSettings fitSettings, Path out, PrintWriter log,
            List<String> notes) {
        if (validationFile != null) {
            return new Loaded<>(readValidation(validationFile), "read from " + validationFile, validationFile);
        }
        Path here = new SweepFolder(resultsDir).validationJson();
        if (Files.isRegularFile(here)) {
            return new Loaded<>(readValidation(here), "read from " + here, here);
        }
        if (table == null) {
            return new Loaded<>(null, "no validation: no completed runs could be read", null);
        }
        int budgets = BudgetGrouping.assign(table).count();
        if (budgets < 2) {
            String why = "no validation: holding out the largest budget needs at least 2 budgets, the runs form "
                    + budgets;
            notes.add(why);
            return new Loaded<>(null, why, null);
        }
        log.println("report: no validation.json in " + resultsDir + ": validating in-process (approach 3, top budget "
                + "held out) ...");
        log.flush();
        FitSettings s = FitSettings.of(Approach.PARAMETRIC, ParamConvention.parse(fitSettings.paramConvention()),
                FlopConvention.parse(fitSettings.flopConvention()), fitSettings.dropHighest(),
                Math.min(bootstrap, fitSettings.bootstrap()), fitSettings.seed(), fitSettings.ciLevel(), false);
        try {
            HoldoutValidation v = new HoldoutValidation(Approach.PARAMETRIC, "top-budget", s);
            if (parametric != null) {
                v = v.withParametricFit(parametric);
            }
            ValidationReport r = v.validate(table);
            Path saved = out.resolve(SweepFolder.VALIDATION_JSON);
            Json.writeAtomically(saved, r);
            String src = "validated in-process by the report (approach 3, top budget held out, " + s.bootstrap()
                    + " bootstrap refits), saved as " + saved;
            notes.add(src);
            return new Loaded<>(r, src, saved);
        } catch (ScalingLabException e) {
            if (e.exitCode() != ExitCode.FIT) {
                throw e;
            }
            String why = "no validation: " + e.getMessage();
            notes.add(why);
            return new Loaded<>(null, why, null);
        }
    }

    /** A validation.json, refused when it is not one. */
    public static ValidationReport readValidation(Path f) {
        ValidationReport v = Json.read(f, ValidationReport.class);
        if (v == null || v.schema() == null || !v.schema().startsWith("scalinglab.validation/")) {
            throw ScalingLabException.data(f + " is not a scalinglab validation file (no \"schema\": \""
                    + ValidationReport.SCHEMA + "\")", "give one written by 'scalinglab validate <results> --out validation.json'");
        }
        return v;
    }

    /** tuning.json's rule, or null when the study did not tune. */
    public LrTuning.Result tuning() {
        Path tuningFile = new SweepFolder(resultsDir).tuningJson();
        return Files.isRegularFile(tuningFile) ? Json.read(tuningFile, LrTuning.Result.class) : null;
    }

    /** The check stage's comparison: validation.json's, else check.json (written even when the holdout could not fit). */
    public CheckValidation.Report check(ValidationReport validation) {
        Path checkFile = new SweepFolder(resultsDir).checkJson();
        return validation != null && validation.check() != null ? validation.check()
                : Files.isRegularFile(checkFile) ? Json.read(checkFile, CheckValidation.Report.class) : null;
    }
}
