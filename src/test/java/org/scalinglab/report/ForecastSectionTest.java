package org.scalinglab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.cli.ScalingLab;
import org.scalinglab.io.Json;
import org.scalinglab.text.Numbers;

/** The report's forecast: figure 10 and the table of plans at 10x, 100x and 1000x, priced on the sweep's GPU. */
class ForecastSectionTest {

    /** A GPU sweep whose runs measured an MFU: the table prices on that GPU at that MFU, as forecast does. */
    @Test
    void plansOnTheSweepsGpuAtItsMeasuredMfu(@TempDir Path tmp) throws IOException {
        Path sweep = ReportFixtures.sweep(tmp.resolve("sweep"));
        editRuns(sweep, (result, info) -> result.put("mfu", 0.31));
        ReportFixtures.writeFits(sweep, 20);
        String page = report(sweep);
        List<List<String>> rows = rows(page);
        assertEquals(3, rows.size(), rows.toString());
        assertTrue(page.contains("GPU-hours on the sweep&#39;s GPU, NVIDIA H100 SXM (80 GB HBM3), in fp32 at the MFU its "
                + "runs measured, 0.310"), "the table's note names the GPU and the MFU");
        assertTrue(Files.size(sweep.resolve("report/figures/10-forecast.png")) > 20_000);
        // each row is what 'scalinglab forecast' plans on the same GPU, precision and MFU
        JsonNode fits = Json.readTree(sweep.resolve("fits.json"));
        double cMax = fits.get("max_fitted_flops").asDouble();
        double[] factors = {10, 100, 1000};
        for (int i = 0; i < 3; i++) {
            JsonNode f = forecast("--fit", sweep.resolve("fits.json").toString(), "--compute",
                    Double.toString(cMax * factors[i]), "--gpu", "h100-sxm", "--precision", "fp32", "--mfu", "0.31");
            List<String> r = rows.get(i);
            assertEquals(Numbers.sig4(cMax * factors[i]), r.get(0));
            assertEquals(Numbers.sig4(f.get("N").asDouble()), r.get(2));
            assertEquals(Numbers.sig4(f.get("D").asDouble()), r.get(3));
            assertEquals(Numbers.sig4(f.get("gpu_hours").asDouble()), r.get(9), "GPU-hours at " + factors[i] + "x");
            assertTrue(r.get(6).startsWith("["), "a loss interval: " + r);
        }
    }

    /** A CPU sweep: no GPU, no MFU, and the table says so and uses the stated default. */
    @Test
    void aCpuSweepSaysItHasNoGpuAndUsesTheStatedDefault(@TempDir Path tmp) throws IOException {
        Path sweep = ReportFixtures.sweep(tmp.resolve("cpu"));
        editRuns(sweep, (result, info) -> {
            ((ObjectNode) info.path("provenance")).remove("gpu");
            ((ObjectNode) info.path("provenance")).put("device", "cpu()");
        });
        ReportFixtures.writeFits(sweep, 0);
        String page = report(sweep);
        assertTrue(page.contains("the sweep ran on the CPU: there is no GPU and no MFU to measure; GPU-hours on a "
                + "stated default, NVIDIA H100 SXM (80 GB HBM3) in bf16 at an assumed MFU of 0.40"), "the note");
        JsonNode fits = Json.readTree(sweep.resolve("fits.json"));
        double c = fits.get("max_fitted_flops").asDouble() * 100;
        JsonNode f = forecast("--fit", sweep.resolve("fits.json").toString(), "--compute", Double.toString(c));
        assertEquals(Numbers.sig4(f.get("gpu_hours").asDouble()), rows(page).get(1).get(9), "forecast's defaults");
        assertEquals("-", rows(page).get(1).get(6), "no bootstrap, no interval");
    }

    interface Edit {
        void apply(ObjectNode result, ObjectNode info);
    }

    private static void editRuns(Path sweep, Edit e) throws IOException {
        try (Stream<Path> s = Files.list(sweep.resolve("runs"))) {
            for (Path run : s.toList()) {
                if (!Files.isRegularFile(run.resolve("result.json"))) {
                    continue;
                }
                ObjectNode result = (ObjectNode) Json.readTree(run.resolve("result.json"));
                ObjectNode info = (ObjectNode) Json.readTree(run.resolve("run.json"));
                e.apply(result, info);
                Files.writeString(run.resolve("result.json"), Json.write(result));
                Files.writeString(run.resolve("run.json"), Json.write(info));
            }
        }
    }

    private static String report(Path sweep) throws IOException {
        ReportFixtures.writeValidation(sweep, 0);
        SweepReport.Result r = new SweepReport(sweep).write(new PrintWriter(new StringWriter()));
        return Files.readString(r.index());
    }

    /** The forecast table's body rows, as cell texts. */
    private static List<List<String>> rows(String page) {
        int at = page.indexOf("<h3 id=\"forecast\">");
        assertTrue(at >= 0, "the forecast table");
        String body = page.substring(page.indexOf("<tbody>", at), page.indexOf("</tbody>", at));
        List<List<String>> rows = new ArrayList<>();
        for (String tr : body.split("<tr")) {
            Matcher m = Pattern.compile("<td[^>]*>(.*?)</td>").matcher(tr);
            List<String> cells = new ArrayList<>();
            while (m.find()) {
                cells.add(m.group(1));
            }
            if (!cells.isEmpty()) {
                rows.add(cells);
            }
        }
        return rows;
    }

    private static JsonNode forecast(String... args) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 2];
        all[0] = "forecast";
        System.arraycopy(args, 0, all, 1, args.length);
        all[all.length - 1] = "--json";
        int code = ScalingLab.run(new PrintWriter(out), new PrintWriter(err), all);
        assertEquals(0, code, err.toString());
        return Json.mapper().readTree(out.toString());
    }
}
