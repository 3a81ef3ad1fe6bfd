package org.scalinglab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.scalinglab.io.Json;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.fit.Planted;
import org.scalinglab.fit.input.RunPoint;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.uncertainty.Prediction;
import org.scalinglab.fit.uncertainty.Predictor;
import org.scalinglab.fit.uncertainty.ValidationReport;
import org.scalinglab.study.Analysis;
import org.scalinglab.text.Numbers;

class SweepReportTest {
    @TempDir
    static Path shared;

    static Path sweep;
    static FitReport fit;
    static ValidationReport validation;
    static SweepReport.Result result;
    static String html;

    @BeforeAll
    static void writeReportOfAPlantedSweep() throws IOException {
        sweep = ReportFixtures.sweep(shared.resolve("sweep"));
        fit = ReportFixtures.writeFits(sweep, 40);
        validation = ReportFixtures.writeValidation(sweep, 40);
        ReportFixtures.writePhenomena(sweep, 40);
        result = new SweepReport(sweep).write(new PrintWriter(new StringWriter()));
        html = Files.readString(result.index());
    }

    @Test
    void drawsEveryFigureAsPngAndSvg() throws IOException {
        assertEquals(sweep.resolve("report/index.html"), result.index());
        // nothing left out: the fixture has no study stages, so their figures (8a-9b) are not drawn at all
        assertEquals(List.of(), result.notes(), "nothing left out");
        assertEquals(17, result.figuresDrawn());
        for (String stem : ReportFixtures.figureStems()) {
            Path png = sweep.resolve("report/figures/" + stem + ".png");
            Path svg = sweep.resolve("report/figures/" + stem + ".svg");
            assertTrue(Files.size(png) > 20_000, stem + ".png is " + Files.size(png) + " bytes");
            assertTrue(Files.size(svg) > 3_000, stem + ".svg is " + Files.size(svg) + " bytes");
            byte[] head = Files.readAllBytes(png);
            assertEquals((byte) 0x89, head[0]);
            assertEquals("PNG", new String(head, 1, 3, StandardCharsets.US_ASCII));
            String s = Files.readString(svg);
            assertTrue(s.contains("<svg") && s.strip().endsWith("</svg>"), stem + ".svg is an SVG document");
            assertTrue(s.contains("<text"), stem + ".svg carries its text as text");
            assertFalse(Files.exists(sweep.resolve("report/figures/" + stem + ".pdf")), "PDF only with --pdf");
            assertTrue(html.contains("id=\"fig-" + stem.substring(0, stem.indexOf('-')) + "\""), stem + " in the page");
        }
        assertFalse(html.contains(sweep.toAbsolutePath().toString() + "</p>"), "no absolute path in the header");
        // every figure is inline, as a PNG data URI
        assertEquals(17, count(html, "<img "));
        assertEquals(17, count(html, "src=\"data:image/png;base64,"));
    }

    @Test
    void allocationBandsAreEdgedAndTheReferenceHasItsOwnStyle() throws IOException {
        for (String stem : List.of("3a-n-opt", "3b-d-opt")) {
            String svg = Files.readString(sweep.resolve("report/figures/" + stem + ".svg"));
            List<String> texts = TextGraphicsTest.texts(svg);
            assertTrue(texts.stream().anyMatch(t -> t.startsWith("reference: Chinchilla")), stem + ": " + texts);
            assertTrue(texts.contains("dashed: extrapolated beyond the sweep"), stem + ": " + texts);
            // the reference is dash-dot, the extrapolations dashed: two different patterns
            assertTrue(svg.contains("stroke-dasharray:10,3.5,2,3.5"), stem + ": the dash-dot reference");
            assertTrue(svg.contains("stroke-dasharray:7,5"), stem + ": the dashed extrapolation");
            // bands lightly filled (28/255) and edged: thin lines of the band's colour
            assertTrue(svg.contains("fill-opacity:0.1098"), stem + ": light band fills");
        }
    }

    @Test
    void metricsThatRiseAndFallWithTheLossHaveTheirOwnAxes() throws IOException {
        String svg = Files.readString(sweep.resolve("report/figures/11b-metrics-vs-loss.svg"));
        List<String> texts = TextGraphicsTest.texts(svg);
        assertTrue(texts.contains(PhenomenaFigures.RISING_AXIS), texts.toString());
        assertTrue(texts.contains(PhenomenaFigures.FALLING_AXIS), texts.toString());
        assertTrue(texts.stream().anyMatch(t -> t.startsWith("edit distance") && t.endsWith("(right axis)")),
                texts.toString());
        assertTrue(html.contains("the edit distance falls with it (right axis"), "11b's caption names the axes");
    }

    @Test
    void pageReferencesNothingOutsideItself() {
        List<String> refs = new ArrayList<>();
        // the images' base64 could spell anything; check their prefix, then scan the page without them
        assertEquals(17, count(html, "src=\"data:image/png;base64,"));
        String page = html.replaceAll("data:image/png;base64,[A-Za-z0-9+/=]+", "data:image/png;base64,");
        Matcher m = Pattern.compile("(?i)\\b(src|href|action|poster|data)\\s*=\\s*[\"']?([^\"'\\s>]*)").matcher(page);
        while (m.find()) {
            refs.add(m.group(1) + "=" + m.group(2));
            String v = m.group(2);
            boolean inline = m.group(1).equalsIgnoreCase("src") ? v.startsWith("data:image/png;base64,")
                    : m.group(1).equalsIgnoreCase("href") && v.startsWith("#");
            assertTrue(inline, "reference out of the page: " + m.group(0));
        }
        assertFalse(refs.isEmpty());
        assertFalse(Pattern.compile("(?i)url\\s*\\(").matcher(page).find(), "no url() in styles");
        assertFalse(Pattern.compile("(?i)@import|<link|<script|<iframe|<object|<embed").matcher(page).find());
        assertFalse(Pattern.compile("(?i)(https?|ftp)://|//[a-z0-9.-]+\\.[a-z]{2,}/").matcher(page).find(),
                "no URL at all");
    }

    @Test
    void tablesNameTheRunsAndTheFittedValues() {
        for (String id : List.of("r000", "r011", "r023", "r999", "r998")) {
            assertTrue(html.contains(">" + id + "</td>"), id + " in the runs table");
        }
        assertTrue(html.contains("diverged: loss became NaN at step 300"), "the diverged run's status and message");
        assertTrue(html.contains(">running</td>"), "a run still training");
        assertTrue(html.contains("26 (completed: 24; diverged: 1; running: 1)"));
        // the page opens with the law to trust, and ranks them
        assertTrue(html.contains("<li>Recommended law: "), "the summary opens with the recommended law");
        for (String id : List.of("ranking", "runs", "fits", "budgets", "predictions", "validation", "rolling", "phenomena",
                "provenance", "diagnostics")) {
            assertTrue(html.contains("<h3 id=\"" + id + "\">"), "table " + id);
        }
        // approach 3's exponents and intervals, approach 2's a, as the terminal prints them
        assertTrue(html.contains(">" + Numbers.sig4(fit.approach3().alpha()) + "<"));
        assertTrue(html.contains(">" + Numbers.sig4(fit.approach3().a()) + "<"));
        assertTrue(html.contains(Numbers.interval(fit.approach3().ci().get("a"))));
        assertTrue(html.contains(">" + Numbers.sig4(fit.approach2().a()) + "<"));
        assertTrue(html.contains(">" + Numbers.sig4(fit.kaplan().joint().alphaN()) + "<"));
        // predictions at 1x, 10x and 100x the largest compute
        double cMax = 1e18 * 64;
        for (double m : new double[] {1, 10, 100}) {
            assertTrue(html.contains(">" + Numbers.sig4(cMax * m) + "<"), "prediction at " + m + "x");
        }
        // held-out runs and provenance
        assertTrue(html.contains(">" + validation.runs().get(0).id() + "</td>"));
        assertTrue(html.contains(ReportFixtures.COMMIT + " (all 26 runs)"));
        assertTrue(html.contains(ReportFixtures.DATA_SHA));
        assertTrue(html.contains("NVIDIA H100 80GB HBM3"));
        assertTrue(html.contains("24 of 24 result.json files match the hashes in fits.json"));
    }

    /** Without fits.json and validation.json the study makes them first, in the results folder; the report reads them. */
    @Test
    void theStudyFitsAndValidatesFirstWithoutFiles(@TempDir Path tmp) throws IOException {
        Path dir = ReportFixtures.sweep(tmp.resolve("sweep"));
        StringWriter log = new StringWriter();
        SweepReport.Result r = Analysis.of(dir, ParamConvention.DEFAULT, FlopConvention.DEFAULT)
                .withParametricFit(ReportFixtures.SMALL_FIT).withBootstrap(20).report(null, null, new PrintWriter(log))
                .withOut(tmp.resolve("out")).write(new PrintWriter(log));
        assertEquals(tmp.resolve("out/index.html"), r.index());
        assertTrue(log.toString().contains("report: no fits.json in " + dir + ": making it first, as 'scalinglab fit "
                + dir + " --approach all --out " + dir.resolve("fits.json")), log.toString());
        assertTrue(log.toString().contains("report: no validation.json in " + dir + ": making it first"), log.toString());
        assertTrue(Files.isRegularFile(dir.resolve("fits.json")));
        assertTrue(Files.isRegularFile(dir.resolve("validation.json")));
        assertEquals(17, r.figuresDrawn(), () -> String.join("\n", r.notes()));
        assertEquals(List.of(), r.notes());
        String page = Files.readString(r.index());
        assertTrue(page.contains("read from " + dir.resolve("fits.json")), "where the fit came from");
    }

    /**
     * What the report makes first is read in the conventions the runs were trained in, as {@code run} reads
     * them; runs that disagree, or name none, get the defaults.
     */
    @Test
    void theFilesMadeFirstAreInTheRunsOwnConventions(@TempDir Path tmp) throws IOException {
        Path dir = ReportFixtures.sweep(tmp.resolve("sweep"));
        assertEquals(List.of("--param-convention", "total", "--flop-convention", "chinchilla"),
                tail(Analysis.ofRuns(dir).commands().get(0)), "the fixture's runs name no convention");
        List<Path> runs;
        try (var s = Files.list(dir.resolve("runs"))) {
            runs = s.sorted().toList();
        }
        for (Path run : runs) {
            Path f = run.resolve("run.json");
            if (Files.isRegularFile(f)) {
                com.fasterxml.jackson.databind.node.ObjectNode j = (com.fasterxml.jackson.databind.node.ObjectNode) Json.readTree(f);
                ((com.fasterxml.jackson.databind.node.ObjectNode) j.path("config")).putObject("train")
                        .put("flops_convention", "kaplan").put("params_convention", "non_embedding");
                Files.writeString(f, Json.write(j));
            }
        }
        assertEquals(List.of("--param-convention", "non-embedding", "--flop-convention", "kaplan"),
                tail(Analysis.ofRuns(dir).commands().get(0)));
        Path first = runs.get(0).resolve("run.json");
        com.fasterxml.jackson.databind.node.ObjectNode j = (com.fasterxml.jackson.databind.node.ObjectNode) Json.readTree(first);
        ((com.fasterxml.jackson.databind.node.ObjectNode) j.path("config").path("train")).put("flops_convention", "chinchilla");
        Files.writeString(first, Json.write(j));
        assertEquals(List.of("--param-convention", "non-embedding", "--flop-convention", "chinchilla"),
                tail(Analysis.ofRuns(dir).commands().get(0)), "runs that disagree: the default");
    }

    private static List<String> tail(String[] command) {
        return List.of(command).subList(command.length - 4, command.length);
    }

    /** The report alone fits nothing: a missing file is a note naming the command that makes it. */
    @Test
    void theReportAloneFitsNothing(@TempDir Path tmp) throws IOException {
        Path dir = ReportFixtures.sweep(tmp.resolve("sweep"));
        SweepReport.Result r = new SweepReport(dir).write(new PrintWriter(new StringWriter()));
        assertFalse(Files.exists(dir.resolve("fits.json")));
        assertFalse(Files.exists(dir.resolve("phenomena.json")));
        assertTrue(r.notes().contains("no phenomena: no phenomena.json in " + dir + " (run 'scalinglab report " + dir
                + "', which measures them first, or 'scalinglab phenomena')"), r.notes().toString());
        assertTrue(r.notes().contains("no fit: no fits.json in " + dir + " (run 'scalinglab report " + dir
                + "', which fits first, or 'scalinglab fit')"), r.notes().toString());
    }

    @Test
    void theBandsAreTheIntervalsPredictGives() {
        // the same bootstrap samples, filtered the same way: a band at C is predict's interval at C
        double c = 10 * fit.maxFittedFlops();
        List<Prediction> predictions = new Predictor(fit).atCompute(c);
        List<Frontier> fronts = Frontier.of(fit);
        assertTrue(fronts.size() >= 3, fronts.toString());
        for (Frontier f : fronts) {
            Prediction p = predictions.stream().filter(x -> x.approach().equals(f.key())).findFirst().orElseThrow();
            double[][] n = Frontier.band(f.nOptSamples(), new double[] {c}, fit.ciLevel());
            assertArrayEquals(p.ci().get("N_opt"), new double[] {n[0][0], n[1][0]}, 1e-9 * p.nOpt(), f.key());
            double[][] d = Frontier.band(f.dOptSamples(), new double[] {c}, fit.ciLevel());
            assertArrayEquals(p.ci().get("D_opt"), new double[] {d[0][0], d[1][0]}, 1e-9 * p.dOpt(), f.key());
            if (f.loss() != null && !f.lossSamples().isEmpty()) {
                double[][] l = Frontier.band(f.lossSamples(), new double[] {c}, fit.ciLevel());
                assertArrayEquals(p.ci().get("loss"), new double[] {l[0][0], l[1][0]}, 1e-12, f.key());
            }
        }
    }

    @Test
    void aSingleRunFolderGetsItsCurvesAndTables(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("one");
        Planted.writeRun(run, new RunPoint("one", 4e8, 8e9, 6 * 4e8 * 8e9, 2.3, Double.NaN, null), "completed",
                Planted.CHINCHILLA);
        ReportFixtures.writeRunJson(run);
        SweepReport.Result r = Analysis.of(run, ParamConvention.DEFAULT, FlopConvention.DEFAULT)
                .report(null, null, new PrintWriter(new StringWriter())).write(new PrintWriter(new StringWriter()));
        assertEquals(run.resolve("report/index.html"), r.index());
        assertTrue(Files.size(run.resolve("report/figures/1a-loss-vs-tokens.png")) > 10_000);
        assertTrue(Files.size(run.resolve("report/figures/1b-loss-vs-flops.svg")) > 3_000);
        // training curves, the loss against compute with no law to draw, and the run's loss frontier
        assertEquals(4, r.figuresDrawn(), r.notes().toString());
        assertTrue(Files.isRegularFile(run.resolve("report/figures/12a-broken-frontier.png")));
        String page = Files.readString(r.index());
        assertTrue(page.contains(">one</td>"));
        assertTrue(page.contains("no fit: no approach could be fitted: approach3: approach 3 needs at least 6 runs"),
                "why there is no fit");
        assertTrue(page.contains("Figure 2. IsoFLOP profiles</strong> was not drawn"), "a note instead of figure 2");
        assertEquals(r.figuresOmitted(), count(page, "was not drawn"));
        assertEquals(13, r.figuresOmitted());
        assertTrue(page.contains("Figure 13b. Critical batch size against the loss</strong> was not drawn: no run measured "
                + "the gradient noise scale (it needs train.grad_accum &gt;= 2)"), "why, in its place");
    }

    @Test
    void aDesignWithoutBudgetsLeavesOutApproach2WithANote(@TempDir Path tmp) throws IOException {
        Path dir = ReportFixtures.scattered(tmp.resolve("scattered"), 14);
        ReportFixtures.writeFits(dir, 0);
        SweepReport.Result r = new SweepReport(dir)
                .write(new PrintWriter(new StringWriter()));
        String page = Files.readString(r.index());
        assertTrue(page.contains("Figure 2. IsoFLOP profiles</strong> was not drawn: the runs do not form an IsoFLOP "
                + "design"), page);
        assertTrue(Files.isRegularFile(dir.resolve("report/figures/5-loss-contours.png")));
        assertTrue(Files.isRegularFile(dir.resolve("report/figures/3a-n-opt.svg")));
        assertFalse(Files.exists(dir.resolve("report/figures/2-isoflop-profiles.png")));
    }

    @Test
    void edgeMinimaAreDrawnWhenApproach2CannotBeFitted(@TempDir Path tmp) throws IOException {
        Path dir = ReportFixtures.edgeSweep(tmp.resolve("edges"));
        FitReport f = ReportFixtures.writeFits(dir, 0);
        assertTrue(f.notFitted().containsKey("approach2"), "the fixture defeats approach 2");
        SweepReport.Result r = new SweepReport(dir)
                .write(new PrintWriter(new StringWriter()));
        assertTrue(Files.size(dir.resolve("report/figures/2-isoflop-profiles.png")) > 20_000);
        String page = Files.readString(r.index());
        assertTrue(page.contains("approach 2 was not fitted (approach 2 needs at least 2 budgets"), "why");
        assertTrue(page.contains("C = 1e18: minimum in N"), "the edge of each budget is named");
        assertTrue(page.contains("at or beyond the largest N fitted"));
    }

    @Test
    void noCompletedRunsIsAnError(@TempDir Path tmp) throws IOException {
        Planted.writeRun(tmp.resolve("runs/a"), new RunPoint("a", 1e8, 1e9, 6e17, 3, 1e18, null), "diverged",
                Planted.CHINCHILLA);
        ScalingLabException e = assertThrows(ScalingLabException.class,
                () -> new SweepReport(tmp).write(new PrintWriter(new StringWriter())));
        assertEquals(ExitCode.DATA, e.exitCode());
        assertTrue(e.getMessage().contains("no completed runs in " + tmp + ": 1 run folder (1 diverged)"),
                e.getMessage());
        ScalingLabException none = assertThrows(ScalingLabException.class,
                () -> new SweepReport(tmp.resolve("runs/a/nothing-here")).write(new PrintWriter(new StringWriter())));
        assertEquals(ExitCode.DATA, none.exitCode());
    }

    private static int count(String s, String sub) {
        int n = 0;
        for (int i = s.indexOf(sub); i >= 0; i = s.indexOf(sub, i + 1)) {
            n++;
        }
        return n;
    }
}
