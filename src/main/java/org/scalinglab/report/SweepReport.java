package org.scalinglab.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.scalinglab.ScalingLabException;
import org.scalinglab.ToolVersion;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.fit.approach.LrTuning;
import org.scalinglab.fit.input.ReadOptions;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.input.RunTableReader;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.law.FitSettings;
import org.scalinglab.fit.phenomena.Phenomena;
import org.scalinglab.fit.phenomena.RunMetrics;
import org.scalinglab.fit.uncertainty.CheckValidation;
import org.scalinglab.fit.uncertainty.ValidationReport;
import org.scalinglab.io.AtomicFiles;
import org.scalinglab.sweep.SweepFolder;

/**
 * Writes a sweep's report: {@code index.html} (self-contained) and every figure as PNG and SVG under
 * {@code figures/}. It renders and fits nothing: the fit and the validation are read from files (given, or
 * {@code fits.json} and {@code validation.json} in the results folder), which the study makes
 * ({@code org.scalinglab.study.Analysis}); without one the page says why. The phenomena (metrics, broken
 * power laws, the critical batch) are read the same way, from the folder's {@code phenomena.json}. Immutable: {@code with..} return new instances;
 * {@link #write} is the one operation.
 */
public final class SweepReport {
    static {
        // before any AWT class loads: reports are drawn on machines without a display
        System.setProperty("java.awt.headless", "true");
    }

    public static final String INDEX = "index.html";
    public static final String FIGURES = "figures";

    private final Path resultsDir;
    private final Path fitFile;
    private final Path validationFile;
    private final String noFit;
    private final String noValidation;
    private final String noPhenomena;
    private final Path outDir;
    private final boolean pdf;

    public SweepReport(Path resultsDir) {
        this(resultsDir, null, null, null, null, null, null, false);
    }

    private SweepReport(Path resultsDir, Path fitFile, Path validationFile, String noFit, String noValidation,
            String noPhenomena, Path outDir, boolean pdf) {
        this.resultsDir = resultsDir;
        this.fitFile = fitFile;
        this.validationFile = validationFile;
        this.noFit = noFit;
        this.noValidation = noValidation;
        this.noPhenomena = noPhenomena;
        this.outDir = outDir;
        this.pdf = pdf;
    }

    /**
     * Each figure also as PDF. Off by default: VectorGraphics2D's PDF writer (XChart's renderer) deflates
     * byte by byte, about 6x the time of its SVG (0.25 s against 0.04 s for a 10-line figure; 3.6 s more
     * for the main job's 18 figures, measured on a loaded 2-core machine).
     */
    public SweepReport withPdf(boolean on) {
        return new SweepReport(resultsDir, fitFile, validationFile, noFit, noValidation, noPhenomena, outDir, on);
    }

    /** The fits.json to draw; default {@code <results>/fits.json}. */
    public SweepReport withFit(Path f) {
        return new SweepReport(resultsDir, f, validationFile, noFit, noValidation, noPhenomena, outDir, pdf);
    }

    /** The validation.json to draw; default {@code <results>/validation.json}. */
    public SweepReport withValidation(Path v) {
        return new SweepReport(resultsDir, fitFile, v, noFit, noValidation, noPhenomena, outDir, pdf);
    }

    /** Why there is no fits.json to draw (the study's attempt failed), said on the page in its place. */
    public SweepReport withoutFit(String why) {
        return new SweepReport(resultsDir, fitFile, validationFile, why, noValidation, noPhenomena, outDir, pdf);
    }

    /** Why there is no validation.json to draw, said on the page in its place. */
    public SweepReport withoutValidation(String why) {
        return new SweepReport(resultsDir, fitFile, validationFile, noFit, why, noPhenomena, outDir, pdf);
    }

    /** The report folder; default {@code <results>/report}. */
    public SweepReport withOut(Path dir) {
        return new SweepReport(resultsDir, fitFile, validationFile, noFit, noValidation, noPhenomena, dir, pdf);
    }

    /** Why there is no phenomena.json to draw (the study's attempt failed), said on the page in its place. */
    public SweepReport withoutPhenomena(String why) {
        return new SweepReport(resultsDir, fitFile, validationFile, noFit, noValidation, why, outDir, pdf);
    }

    public Path outDir() {
        return outDir != null ? outDir : new SweepFolder(resultsDir).report();
    }

    /** What was written. */
    public record Result(Path index, List<Path> files, int figuresDrawn, int figuresOmitted, List<String> notes) {}

    /**
     * Refuses a folder without runs, or without a completed one, before anything is made for it (the
     * study checks this before it fits for the report).
     */
    public void checkRuns() {
        checkRuns(ReportRun.scan(resultsDir));
    }

    /** Reads, draws and writes; progress lines go to {@code log}. */
    public Result write(PrintWriter log) {
        List<ReportRun> runs = ReportRun.scan(resultsDir);
        checkRuns(runs);
        Path out = AtomicFiles.ensureWritableDirectory(outDir());
        List<String> notes = new ArrayList<>();

        StudyResults results = new StudyResults(resultsDir, fitFile, validationFile, noFit, noValidation, noPhenomena);
        StudyResults.Loaded<FitReport> fit = results.fit(notes);
        FitSettings settings = fit.value() != null && fit.value().settings() != null ? fit.value().settings()
                : FitSettings.defaults();
        ReadOptions opts = ReadOptions.defaults().withConventions(ParamConvention.parse(settings.paramConvention()),
                FlopConvention.parse(settings.flopConvention()));
        RunTable table = null;
        try {
            table = RunTableReader.readResultsDir(resultsDir, opts);
        } catch (ScalingLabException e) {
            notes.add("the completed runs could not be read as a table: " + e.getMessage());
        }
        StudyResults.Loaded<ValidationReport> validation = results.validation(notes);

        LrTuning.Result tuning = results.tuning();
        CheckValidation.Report check = results.check(validation.value());
        ReportData data = new ReportData(resultsDir, runs, table, opts.paramConvention().jsonKey(),
                opts.flopConvention().key(), fit.value(), fit.source(), fit.file(), validation.value(), validation.source(),
                tuning, check);

        List<Figure> figures = new ArrayList<>(Figures.all(data));
        figures.addAll(new StudyFigures(data).all());
        ForecastSection forecast = new ForecastSection(data);
        figures.addAll(forecast.figures());
        PhenomenaFigures phenomena = phenomena(data, results, opts, notes);
        figures.addAll(phenomena.all());
        List<HtmlPage.Rendered> rendered = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        Path figDir = out.resolve(FIGURES);
        Set<String> written = new HashSet<>();
        List<String> figureNotes = new ArrayList<>();
        for (Figure f : figures) {
            if (!f.isDrawn()) {
                figureNotes.add("Figure " + f.number() + " (" + f.title() + ") was not drawn: " + f.omitted());
                rendered.add(new HtmlPage.Rendered(f, null));
                continue;
            }
            byte[] png = Charts.png(f.chart());
            byte[] svg = Charts.svg(f.chart());
            Path p = figDir.resolve(f.fileStem() + ".png");
            Path s = figDir.resolve(f.fileStem() + ".svg");
            AtomicFiles.write(p, o -> o.write(png));
            AtomicFiles.write(s, o -> o.write(svg));
            files.add(p);
            files.add(s);
            written.add(p.getFileName().toString());
            written.add(s.getFileName().toString());
            if (pdf) {
                byte[] doc = Charts.pdf(f.chart());
                Path d = figDir.resolve(f.fileStem() + ".pdf");
                AtomicFiles.write(d, o -> o.write(doc));
                files.add(d);
                written.add(d.getFileName().toString());
            }
            rendered.add(new HtmlPage.Rendered(f, png));
        }
        removeStaleFigures(figDir, written);

        Tables t = new Tables(data);
        String generatedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String tool = ToolVersion.label();
        StudyTables st = new StudyTables(data);
        List<Table> tables = new ArrayList<>(List.of(t.ranking(), t.runs(), t.fits(), t.budgets(), t.predictions(),
                forecast.table(), t.heldOut(), t.rolling()));
        Table curvature = t.curvature();
        if (curvature != null) {
            tables.add(3, curvature);
        }
        if (data.tuning() != null) {
            tables.add(st.tuning());
        }
        if (data.check() != null) {
            tables.add(st.check());
        }
        tables.addAll(List.of(phenomena.table(), t.provenance(generatedAt, tool), t.diagnostics()));
        Path index = out.resolve(INDEX);
        AtomicFiles.writeString(index, HtmlPage.render(data, rendered, tables, notes, generatedAt, tool));
        files.add(0, index);
        long drawn = figures.stream().filter(Figure::isDrawn).count();
        notes.addAll(figureNotes);
        return new Result(index, List.copyOf(files), (int) drawn, figures.size() - (int) drawn, List.copyOf(notes));
    }

    /** Metrics and emergence, broken power laws and the critical batch: the runs' points and phenomena.json's fits. */
    private PhenomenaFigures phenomena(ReportData data, StudyResults results, ReadOptions opts, List<String> notes) {
        List<RunMetrics> runs = RunMetrics.read(resultsDir, opts.paramConvention(), opts.flopConvention());
        if (runs.isEmpty()) {
            return new PhenomenaFigures(data, null, runs);
        }
        Phenomena.Report r = results.phenomena(notes).value();
        if (r != null) {
            r.notes().forEach(n -> notes.add("phenomena: " + n));
        }
        return new PhenomenaFigures(data, r, runs);
    }

    private void checkRuns(List<ReportRun> runs) {
        if (runs.isEmpty()) {
            throw ScalingLabException.data("no runs in " + resultsDir
                    + " (no result.json or run.json in it or up to three folders below)",
                    "point at a sweep's results folder or a run folder");
        }
        if (runs.stream().noneMatch(ReportRun::completed)) {
            Map<String, Integer> st = new TreeMap<>();
            runs.forEach(r -> st.merge(r.status(), 1, Integer::sum));
            StringBuilder sb = new StringBuilder();
            st.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(v).append(' ').append(k));
            throw ScalingLabException.data("no completed runs in " + resultsDir + ": " + runs.size() + " run folder"
                    + (runs.size() == 1 ? "" : "s") + " (" + sb + ")", "wait for runs to complete, then report again");
        }
    }

    /** Figures of an earlier report that this one did not draw would otherwise sit beside the new ones. */
    private static void removeStaleFigures(Path figDir, Set<String> written) {
        if (!Files.isDirectory(figDir)) {
            return;
        }
        try (Stream<Path> s = Files.list(figDir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.matches("\\d+[a-z]?-[a-z0-9-]+\\.(png|svg|pdf)") && !written.contains(n)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw ScalingLabException.output("cannot tidy " + figDir + ": " + e.getMessage(), null, e);
        }
    }

    static String describe(Result r) {
        return String.format(Locale.ROOT, "%d figures drawn%s", r.figuresDrawn(),
                r.figuresOmitted() == 0 ? "" : ", " + r.figuresOmitted() + " replaced by a note");
    }
}
