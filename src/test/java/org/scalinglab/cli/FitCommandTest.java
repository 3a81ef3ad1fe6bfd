package org.scalinglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.ExitCode;
import org.scalinglab.fit.Planted;
import org.scalinglab.io.Json;

class FitCommandTest {
    @TempDir
    static Path tmp;
    static Path sweep;
    static JsonNode fit;

    @BeforeAll
    static void sweepAndFit() throws IOException {
        sweep = tmp.resolve("sweep");
        Planted.writeSweep(sweep, Planted.CHINCHILLA, Planted.budgets(1e18, 4, 4), 6, 1.5, 0.003, 1);
        fit = FitCli.run("fit", sweep.toString(), "--json", "--bootstrap", "20", "--out",
                tmp.resolve("fits.json").toString()).json();
    }

    @Test
    void jsonHasEveryApproachWithTheDocumentedKeys() {
        JsonNode a3 = fit.get("approach3");
        for (String k : List.of("E", "A", "B", "alpha", "beta", "a", "b", "objective", "n_points", "ci")) {
            assertTrue(a3.has(k), "approach3." + k);
        }
        for (String k : List.of("E", "A", "B", "alpha", "beta", "a", "b")) {
            assertEquals(2, a3.get("ci").get(k).size(), "ci." + k + " is [low, high]");
        }
        assertEquals(24, a3.get("n_points").asInt());
        JsonNode a2 = fit.get("approach2");
        assertTrue(a2.has("a") && a2.has("b"));
        assertEquals(4, a2.get("budgets").size());
        for (String k : List.of("C", "N_opt", "D_opt", "loss_opt", "edge")) {
            assertTrue(a2.get("budgets").get(0).has(k), "budgets[]." + k);
        }
        assertTrue(fit.get("approach1").has("a") && fit.get("approach1").has("b"));
        assertTrue(fit.get("kaplan").has("alpha_N") && fit.get("kaplan").has("alpha_D"));
        assertEquals(0.4516, a3.get("a").asDouble(), 0.05);
    }

    @Test
    void recordsInputsSettingsAndDiagnostics() throws IOException {
        JsonNode in = fit.get("inputs");
        assertEquals("results-dir", in.get("kind").asText());
        assertEquals(24, in.get("runs").size());
        assertEquals(64, in.get("runs").get(0).get("sha256").asText().length());
        JsonNode s = fit.get("settings");
        assertEquals(20, s.get("bootstrap").asInt());
        assertEquals("total", s.get("param_convention").asText());
        assertEquals("parabola", s.get("isoflop_curve").asText());
        assertEquals("band5", s.get("isoflop_window").asText());
        assertEquals("band5", fit.get("approach2").get("window").asText());
        int fitted = fit.get("approach2").get("budgets").get(0).get("fitted_sizes").asInt();
        assertTrue(fitted >= 3 && fitted <= 6, fitted + " of the 6 sizes in the band");
        assertEquals(4500, fit.get("approach3").get("diagnostics").get("starts_total").asInt());
        assertEquals(fit, Json.mapper().readTree(tmp.resolve("fits.json").toFile()), "--out writes what --json prints");
    }

    /**
     * Approach 3's bounded variant sits beside approach 3 (which keeps D.2's keys and no box), with its box,
     * weighting and bounds hit; predict and report read it back through the schema, which refuses a law
     * outside its recorded box.
     */
    @Test
    void theBoundedVariantIsWrittenBesideApproach3AndReadBack() throws IOException {
        JsonNode b = fit.get("approach3_bounded");
        for (String k : List.of("E", "A", "B", "alpha", "beta", "a", "b", "ci", "bounds", "weighting", "bounds_hit",
                "bootstrap", "bootstrap_bounds_hit")) {
            assertTrue(b.has(k), "approach3_bounded." + k);
        }
        assertEquals("sqrt(6ND)", b.get("weighting").asText());
        assertTrue(b.get("bounds_hit").isArray());
        assertEquals(2.0, b.get("bounds").get("alpha").get(1).asDouble(), 0);
        assertTrue(b.get("E").asDouble() <= b.get("bounds").get("E").get(1).asDouble());
        assertEquals(0.4516, b.get("a").asDouble(), 0.05);
        for (String k : List.of("bounds", "weighting", "bounds_hit", "bootstrap_bounds_hit")) {
            assertTrue(!fit.get("approach3").has(k), "approach3 keeps D.2's keys: " + k);
        }
        assertTrue(fit.get("seconds").has("approach3_bounded"));
        Path file = tmp.resolve("fits.json");
        org.scalinglab.fit.law.FitReport read = org.scalinglab.fit.output.FitsJson.read(file);
        assertEquals(b.get("alpha").asDouble(), read.approach3Bounded().alpha(), 0);
        assertEquals(b.get("bounds_hit").size(), read.approach3Bounded().boundsHit().size());

        com.fasterxml.jackson.databind.node.ObjectNode bad = fit.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) bad.get("approach3_bounded")).put("alpha", 2.5);
        Path badFile = tmp.resolve("bad-bounded.json");
        Files.writeString(badFile, Json.write(bad));
        org.scalinglab.ScalingLabException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.scalinglab.ScalingLabException.class, () -> org.scalinglab.fit.output.FitsJson.read(badFile));
        assertTrue(e.getMessage().contains("approach3_bounded.alpha is 2.5, outside its bounds"), e.getMessage());
    }

    @Test
    void printsAnAlignedTableByDefault() throws IOException {
        Path csv = tmp.resolve("runs.csv");
        StringBuilder sb = new StringBuilder("params,toks,final loss\n");
        for (JsonNode b : fit.get("approach2").get("budgets")) {
            for (JsonNode p : b.get("points")) {
                sb.append(p.get("N").asDouble()).append(',').append(p.get("D").asDouble()).append(',')
                        .append(p.get("loss").asDouble()).append('\n');
            }
        }
        Files.writeString(csv, sb.toString());
        FitCli r = FitCli.run("fit", csv.toString(), "--approach", "3", "--n-col", "params", "--d-col", "toks",
                "--loss-col", "final loss", "--bootstrap", "10").ok();
        assertTrue(r.out().contains("approach 3: L(N, D) = E + A/N^alpha + B/D^beta"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("\\s+alpha\\s+0\\.\\d+\\s+\\[.*\\]")), r.out());
        assertTrue(r.out().contains("a, b, G: Chinchilla's closed form under C = 6ND"), r.out());
        assertTrue(r.out().contains("'predict' allocates under C = D x F(N) (C = 6ND (no shapes known))"), r.out());
        assertTrue(r.out().contains("approach 3, bounded (OLMo-core's ladder fit: E in [0.001, "), r.out());
        assertTrue(r.out().contains("  bounds hit: "), r.out());
        assertEquals("", r.err());
    }

    /**
     * Runs on the Markov language carry its rate and their windows' loss floor: the fit records both
     * in its inputs and prints approach 3's E against each, the check a Markov study exists for.
     */
    @Test
    void markovRunsPrintETheirLossFloor() throws IOException {
        Path markov = tmp.resolve("markov");
        Planted.writeSweep(markov, Planted.CHINCHILLA, Planted.budgets(1e18, 4, 4), 6, 1.5, 0, 1);
        try (var results = Files.walk(markov)) {
            for (Path f : results.filter(f -> f.getFileName().toString().equals("result.json")).toList()) {
                com.fasterxml.jackson.databind.node.ObjectNode j =
                        (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(f.toFile());
                j.put("entropy_rate", 1.6).put("loss_floor", 1.69);
                Files.writeString(f, Json.write(j));
            }
        }
        FitCli r = FitCli.run("fit", markov.toString(), "--approach", "3", "--bootstrap", "0").ok();
        assertTrue(r.out().contains("E against the Markov language's exact loss floor on these windows, 1.6900: "),
                r.out());
        assertTrue(r.out().contains("against its entropy rate, 1.6000: +5.6"), r.out());
        JsonNode in = FitCli.run("fit", markov.toString(), "--approach", "3", "--bootstrap", "0", "--json").json()
                .get("inputs");
        assertEquals(1.69, in.get("loss_floor").asDouble());
        assertEquals(1.6, in.get("entropy_rate").asDouble());
        assertTrue(fit.get("inputs").get("loss_floor").isNull(), "real data: no floor");
    }

    @Test
    void theTableA4FlopConventionReadsItsOwnCount() {
        JsonNode j = FitCli.run("fit", sweep.toString(), "--approach", "2", "--json", "--bootstrap", "0",
                "--flop-convention", "chinchilla-a4").json();
        assertEquals("chinchilla_a4", j.get("settings").get("flop_convention").asText());
        assertEquals("flops.chinchilla_a4", j.get("inputs").get("columns").get("C").asText());
        JsonNode p = j.get("approach2").get("budgets").get(0).get("points").get(0);
        assertEquals(Planted.A4_PER_PARAM * p.get("N").asDouble() * p.get("D").asDouble(), p.get("C").asDouble(),
                1e-6 * p.get("C").asDouble());
    }

    @Test
    void approach2TakesTheProfileAndWindowAsked() {
        JsonNode a2 = FitCli.run("fit", sweep.toString(), "--approach", "2", "--json", "--bootstrap", "0",
                "--profile", "akima", "--window", "all").json().get("approach2");
        assertEquals("akima", a2.get("curve").asText());
        assertEquals("all", a2.get("window").asText());
        JsonNode b = a2.get("budgets").get(0);
        assertEquals(6, b.get("fitted_sizes").asInt());
        assertTrue(b.get("parabola_N").isNull() && b.get("akima_N").get("slopes").size() == 6, b.toString());
        assertEquals(0.4516, a2.get("a").asDouble(), 0.1);
        // the fixed windows and other loss bands stay available, and fits.json records the rule
        JsonNode five = FitCli.run("fit", sweep.toString(), "--approach", "2", "--json", "--bootstrap", "0",
                "--window", "5").json();
        assertEquals("5", five.get("approach2").get("window").asText());
        assertEquals("5", five.get("settings").get("isoflop_window").asText());
        assertEquals(5, five.get("approach2").get("budgets").get(0).get("fitted_sizes").asInt());
        JsonNode band = FitCli.run("fit", sweep.toString(), "--approach", "2", "--json", "--bootstrap", "0",
                "--window", "band12.5").json().get("approach2");
        assertEquals("band12.5", band.get("window").asText());
    }

    @Test
    void helpListsTheOptions() {
        for (String cmd : List.of("fit", "predict", "validate")) {
            FitCli r = FitCli.run(cmd, "--help").ok();
            assertTrue(r.out().startsWith("Usage: scalinglab " + cmd), r.out());
        }
        assertTrue(FitCli.run("fit", "--help").out().contains("--approach=<kaplan|1|2|3|3b|all>"));
    }

    @Test
    void badInputsAreOneLineErrorsWithTheirExitCodes() throws IOException {
        FitCli.run("fit", tmp.resolve("missing").toString()).fails(ExitCode.DATA, "no such file or folder");
        Path csv = tmp.resolve("cols.csv");
        Files.writeString(csv, "size,tokens,loss\n1e6,1e8,3\n");
        FitCli.run("fit", csv.toString()).fails(ExitCode.DATA, "column 'N' not found").fails(ExitCode.DATA,
                "available: size, tokens, loss");
        FitCli.run("fit", sweep.toString(), "--approach", "4").fails(ExitCode.USAGE, "unknown approach '4'");
        FitCli.run("fit", sweep.toString(), "--bootstrap", "-1").fails(ExitCode.USAGE, "--bootstrap");
        FitCli.run("fit", sweep.toString(), "--param-convention", "all").fails(ExitCode.USAGE, "parameter convention");
        FitCli.run("fit", sweep.toString(), "--flop-convention", "a4").fails(ExitCode.USAGE,
                "expected kaplan, chinchilla or chinchilla-a4");
        FitCli.run("fit").fails(ExitCode.USAGE, "Missing required parameter");
        FitCli.run("fit", sweep.toString(), "--window", "2").fails(ExitCode.USAGE, "at least 3 sizes");
        FitCli.run("fit", sweep.toString(), "--window", "most").fails(ExitCode.USAGE, "--window");
        FitCli.run("fit", sweep.toString(), "--window", "band0").fails(ExitCode.USAGE, "band<percent>");
        FitCli.run("fit", sweep.toString(), "--profile", "spline").fails(ExitCode.USAGE, "parabola or akima");

        Path failed = tmp.resolve("failed");
        Planted.writeRun(failed.resolve("runs/a"), new org.scalinglab.fit.input.RunPoint("x", 1e8, 1e9, 6e17, 3, 1e18, null),
                "diverged", Planted.CHINCHILLA);
        FitCli.run("fit", failed.toString()).fails(ExitCode.FIT, "no completed runs");

        Path one = tmp.resolve("one-budget.csv");
        Files.writeString(one, "N,D,loss\n1e6,1e9,3.0\n2e6,5e8,2.9\n4e6,2.5e8,2.95\n");
        FitCli.run("fit", one.toString(), "--approach", "2").fails(ExitCode.FIT, "at least 2 budgets");
    }
}
