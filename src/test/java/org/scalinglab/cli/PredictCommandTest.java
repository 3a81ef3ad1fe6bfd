package org.scalinglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.ExitCode;
import org.scalinglab.fit.Planted;
import org.scalinglab.io.Json;

class PredictCommandTest {
    @TempDir
    static Path tmp;
    static String fits;

    @BeforeAll
    static void fit() throws IOException {
        fits = FitCli.plantedFits(tmp);
    }

    @Test
    void computeGivesTheAllocationPerApproach() {
        FitCli r = FitCli.run("predict", "--fit", fits, "--compute", "1e22").ok();
        // planted from Chinchilla's law: approach 3 is recommended, leads, and says so
        assertTrue(r.out().startsWith("recommended: approach3"), r.out());
        assertTrue(r.out().contains("approach3 (recommended) at C = 1e22"), r.out());
        assertTrue(r.out().contains("approach2 at C = 1e22"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("N_opt")), r.out());
        assertTrue(r.out().contains("L(N, D) minimised under C = 6ND: the input gives no shapes"), r.out());

        JsonNode j = FitCli.run("predict", "--fit", fits, "--compute", "1e22", "--json").json();
        JsonNode p3 = j.get("predictions").get(0);
        assertEquals("scalinglab.predict/1", j.get("schema").asText());
        assertTrue(p3.has("supported_by_data"), "predict's 'not supported by the data' as a field: " + p3);
        assertTrue(j.has("unsupported_from_N"), j.toString());
        assertEquals("approach3", p3.get("approach").asText());
        assertEquals("approach3", j.get("recommended").asText());
        assertTrue(p3.get("recommended").asBoolean());
        for (int i = 1; i < j.get("predictions").size(); i++) {
            assertFalse(j.get("predictions").get(i).get("recommended").asBoolean(), "only one law is recommended");
        }
        double n = p3.get("N_opt").asDouble();
        double d = p3.get("D_opt").asDouble();
        assertEquals(1e22, 6 * n * d, 1e13);
        assertEquals(d / n, p3.get("tokens_per_param").asDouble(), 1e-9 * d / n);
        assertEquals(2, p3.get("ci").get("loss").size());
        assertTrue(p3.get("ci").get("loss").get(0).asDouble() < p3.get("loss").asDouble());
    }

    @Test
    void paramsAndTokensGiveTheLoss() {
        JsonNode j = FitCli.run("predict", "--fit", fits, "--params", "1e9", "--tokens", "2e10", "--json").json();
        JsonNode p3 = j.get("predictions").get(0);
        assertEquals(1.2e20, p3.get("C").asDouble(), 1e8);
        assertTrue(p3.get("loss").asDouble() > 1.69);
    }

    @Test
    void badArgumentsAreOneLineErrors() throws IOException {
        FitCli.run("predict", "--fit", fits).fails(ExitCode.USAGE, "either --compute");
        FitCli.run("predict", "--fit", fits, "--compute", "1e22", "--params", "1e9", "--tokens", "1e9")
                .fails(ExitCode.USAGE, "either --compute");
        FitCli.run("predict", "--fit", fits, "--params", "1e9").fails(ExitCode.USAGE, "both --params");
        FitCli.run("predict", "--fit", fits, "--compute", "-5").fails(ExitCode.USAGE, "finite numbers >= 1");
        FitCli.run("predict", "--fit", fits, "--params", "1e-300", "--tokens", "1e-300").fails(ExitCode.USAGE, ">= 1");
        FitCli.run("predict", "--fit", tmp.resolve("nope.json").toString(), "--compute", "1e22")
                .fails(ExitCode.DATA, "no such fits file");
        Path other = tmp.resolve("other.json");
        Files.writeString(other, "{\"hello\": 1}");
        FitCli.run("predict", "--fit", other.toString(), "--compute", "1e22").fails(ExitCode.DATA, "not a scalinglab fits file");
    }

    /** A hand-edited copy of the fit: {@code edit} changes the tree. */
    static Path edited(String name, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        ObjectNode tree = (ObjectNode) Json.mapper().readTree(Path.of(fits).toFile());
        edit.accept(tree);
        return Files.writeString(tmp.resolve(name), Json.mapper().writeValueAsString(tree));
    }

    static void refused(Path file, String fragment) {
        FitCli.run("predict", "--fit", file.toString(), "--compute", "1e22").fails(ExitCode.DATA, fragment);
    }

    /** The audit's hand edits: each is one line and exit 4 naming the field, never a prediction. */
    @Test
    void aHandEditedOrTruncatedFitsFileIsRefusedNamingTheField() throws IOException {
        refused(edited("no-alpha.json", t -> ((ObjectNode) t.get("approach3")).remove("alpha")),
                "approach3.alpha is missing");
        refused(edited("null-e.json", t -> ((ObjectNode) t.get("approach3")).putNull("E")), "approach3.E is null");
        refused(edited("neg-alpha.json", t -> ((ObjectNode) t.get("approach3")).put("alpha", -0.3)),
                "approach3.alpha must be > 0");
        refused(edited("neg-a2.json", t -> ((ObjectNode) t.get("approach2").get("n_opt_law")).put("exponent", -0.5)),
                "approach2.n_opt_law.exponent must be > 0");
        refused(edited("v99.json", t -> t.put("schema", "scalinglab.fits/99")),
                "schema is 'scalinglab.fits/99'; this scalinglab reads scalinglab.fits/1");
        refused(edited("empty-samples.json", t -> ((ObjectNode) t.get("approach3").get("bootstrap").get("samples"))
                .putArray("A")), "approach3.bootstrap.samples.A has 0 samples, but replicates is 20");
        refused(edited("text-beta.json", t -> ((ObjectNode) t.get("approach3")).put("beta", "0.3")),
                "approach3.beta must be a number");
        refused(edited("no-budgets.json", t -> ((ObjectNode) t.get("approach2")).putArray("budgets")),
                "approach2.budgets must have at least 1 element");
        refused(edited("bad-budget.json", t -> {
            ArrayNode b = (ArrayNode) t.get("approach2").get("budgets");
            for (JsonNode x : b) {
                if (x.get("used").asBoolean()) {
                    ((ObjectNode) x).putNull("N_opt");
                    break;
                }
            }
        }), "N_opt is missing, but the budget is used");
        refused(edited("nothing.json", t -> {
            t.remove("approach3");
            t.remove("approach3_bounded");
            t.remove("approach2");
            t.remove("approach1");
            t.remove("kaplan");
            t.remove("ranking");
            t.putNull("recommended");
        }), "holds no fitted approach");
        // the allocation fields (C(N, D) = D x F(N)): a curve needs two points of increasing N
        refused(edited("bad-curve.json", t -> t.putObject("flops_per_token").putArray("points").addArray().add(1e6)
                .add(6e6)), "flops_per_token.points must have at least 2 elements");
        refused(edited("down-curve.json", t -> {
            ArrayNode pts = t.putObject("flops_per_token").putArray("points");
            pts.addArray().add(1e6).add(6e6);
            pts.addArray().add(1e5).add(6e5);
        }), "flops_per_token.points[1] must have a larger N than the point before");
        refused(edited("no-max.json", t -> t.put("max_fitted_flops", -1)), "max_fitted_flops must be >= 0");
        refused(edited("bad-level.json", t -> ((ObjectNode) t.get("settings")).put("ci_level", 95)),
                "settings.ci_level must be in (0, 1)");

        String whole = Files.readString(Path.of(fits));
        Path truncated = Files.writeString(tmp.resolve("truncated.json"), whole.substring(0, whole.length() / 2));
        refused(truncated, "cannot read " + truncated);
        refused(Files.writeString(tmp.resolve("empty.json"), ""), "not a scalinglab fits file");
    }

    @Test
    void theReportRefusesABadFitsFileToo() throws IOException {
        Path sweep = tmp.resolve("report-sweep");
        Planted.writeSweep(sweep, Planted.CHINCHILLA, Planted.budgets(1e18, 4, 3), 5, 1.5, 0.003, 21);
        Path bad = edited("report-no-alpha.json", t -> ((ObjectNode) t.get("approach3")).remove("alpha"));
        FitCli.run("report", sweep.toString(), "--fit", bad.toString()).fails(ExitCode.DATA, "approach3.alpha is missing");
        Files.copy(bad, sweep.resolve("fits.json"));
        FitCli.run("report", sweep.toString()).fails(ExitCode.DATA, "approach3.alpha is missing");
        assertTrue(!Files.exists(sweep.resolve("report/index.html")), "no report from a bad fit");
    }
}
