package org.scalinglab.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.scalinglab.ScalingLabException;
import org.scalinglab.fit.approach.LrTuning;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.phenomena.Phenomena;
import org.scalinglab.fit.output.FitsJson;
import org.scalinglab.fit.uncertainty.CheckValidation;
import org.scalinglab.fit.uncertainty.ValidationReport;
import org.scalinglab.io.Json;
import org.scalinglab.sweep.SweepFolder;

/**
 * What a study's results folder holds for its report, read and never made here: the fit and the held-out
 * validation, each from its file (the one given, else the folder's own), else the reason there is none;
 * the phenomena (phenomena.json); the tuned learning-rate rule; the check stage's comparison. The study makes the files
 * ({@code org.scalinglab.study.Analysis}); the report draws what this loads.
 */
final class StudyResults {
    private final SweepFolder folder;
    private final Path fitFile;
    private final Path validationFile;
    private final String noFit;
    private final String noValidation;
    private final String noPhenomena;

    /**
     * @param fitFile the fits.json to read, or null for the folder's
     * @param validationFile the validation.json to read, or null for the folder's
     * @param noFit why there is no fit when there is no file (the study's failed attempt), or null
     * @param noValidation why there is no validation when there is no file, or null
     * @param noPhenomena why there is no phenomena.json, or null
     */
    StudyResults(Path resultsDir, Path fitFile, Path validationFile, String noFit, String noValidation,
            String noPhenomena) {
        this.folder = new SweepFolder(resultsDir);
        this.fitFile = fitFile;
        this.validationFile = validationFile;
        this.noFit = noFit;
        this.noValidation = noValidation;
        this.noPhenomena = noPhenomena;
    }

    /** A value, where it came from (or why there is none) and its file. */
    record Loaded<T>(T value, String source, Path file) {}

    /** The fit to draw: the file given, else the folder's fits.json; none is a note, not a failure. */
    Loaded<FitReport> fit(List<String> notes) {
        Path f = fitFile != null ? fitFile : folder.fitsJson();
        if (fitFile != null || Files.isRegularFile(f)) {
            return new Loaded<>(FitsJson.read(f), "read from " + f, f);
        }
        return missing(noFit != null ? noFit : "no fit: no " + SweepFolder.FITS_JSON + " in " + folder.root()
                + " (run 'scalinglab report " + folder.root() + "', which fits first, or 'scalinglab fit')", notes);
    }

    /** The validation to draw: the file given, else the folder's validation.json; none is a note. */
    Loaded<ValidationReport> validation(List<String> notes) {
        Path f = validationFile != null ? validationFile : folder.validationJson();
        if (validationFile != null || Files.isRegularFile(f)) {
            return new Loaded<>(readValidation(f), "read from " + f, f);
        }
        return missing(noValidation != null ? noValidation : "no validation: no " + SweepFolder.VALIDATION_JSON
                + " in " + folder.root() + " (run 'scalinglab report " + folder.root()
                + "', which validates first, or 'scalinglab validate')", notes);
    }

    /** The metrics, broken power laws and critical batch measured on the runs: the folder's phenomena.json; none is a note. */
    Loaded<Phenomena.Report> phenomena(List<String> notes) {
        Path f = folder.phenomenaJson();
        if (Files.isRegularFile(f)) {
            Phenomena.Report r = Json.read(f, Phenomena.Report.class);
            if (r == null || r.schema() == null || !r.schema().startsWith("scalinglab.phenomena/")) {
                throw ScalingLabException.data(f + " is not a scalinglab phenomena file (no \"schema\": \""
                        + Phenomena.SCHEMA + "\")", "measure them again with 'scalinglab phenomena " + folder.root()
                        + " --out " + f + "'");
            }
            return new Loaded<>(r, "read from " + f, f);
        }
        return missing(noPhenomena != null ? noPhenomena : "no phenomena: no " + SweepFolder.PHENOMENA_JSON + " in "
                + folder.root() + " (run 'scalinglab report " + folder.root() + "', which measures them first, or "
                + "'scalinglab phenomena')", notes);
    }

    private static <T> Loaded<T> missing(String why, List<String> notes) {
        notes.add(why);
        return new Loaded<>(null, why, null);
    }

    /** A validation.json, refused when it is not one. */
    static ValidationReport readValidation(Path f) {
        ValidationReport v = Json.read(f, ValidationReport.class);
        if (v == null || v.schema() == null || !v.schema().startsWith("scalinglab.validation/")) {
            throw ScalingLabException.data(f + " is not a scalinglab validation file (no \"schema\": \""
                    + ValidationReport.SCHEMA + "\")", "give one written by 'scalinglab validate <results> --out validation.json'");
        }
        return v;
    }

    /** tuning.json's rule, or null when the study did not tune. */
    LrTuning.Result tuning() {
        Path tuningFile = folder.tuningJson();
        return Files.isRegularFile(tuningFile) ? Json.read(tuningFile, LrTuning.Result.class) : null;
    }

    /** The check stage's comparison: validation.json's, else check.json (written even when the holdout could not fit). */
    CheckValidation.Report check(ValidationReport validation) {
        Path checkFile = folder.checkJson();
        return validation != null && validation.check() != null ? validation.check()
                : Files.isRegularFile(checkFile) ? Json.read(checkFile, CheckValidation.Report.class) : null;
    }
}
