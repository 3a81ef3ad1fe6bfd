package org.scalinglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.ExitCode;
import org.scalinglab.fit.Planted;
import org.scalinglab.fit.input.RunPoint;
import org.scalinglab.io.Json;

class PhenomenaCommandTest {
    @TempDir
    static Path tmp;
    static Path sweep;

    /** A planted IsoFLOP sweep whose metrics rows also carry B_simple = 3e4 L^-4 (alpha_B 0.25). */
    @BeforeAll
    static void plantedSweep() throws IOException {
        sweep = tmp.resolve("sweep");
        Planted.writeSweep(sweep, Planted.CHINCHILLA, Planted.budgets(1e18, 4, 3), 6, 1.5, 0.003, 1);
        try (Stream<Path> s = Files.walk(sweep)) {
            for (Path csv : s.filter(p -> p.getFileName().toString().equals("metrics.csv")).toList()) {
                List<String> lines = Files.readAllLines(csv);
                StringBuilder out = new StringBuilder(lines.get(0)).append(",b_simple\n");
                for (String l : lines.subList(1, lines.size())) {
                    double train = Double.parseDouble(l.split(",", -1)[4]);
                    out.append(l).append(String.format(Locale.ROOT, ",%.6g%n", 3e4 * Math.pow(train, -4)));
                }
                Files.writeString(csv, out.toString());
            }
        }
    }

    @Test
    void jsonHasTheThreeMeasurements() throws IOException {
        Path out = tmp.resolve("phenomena.json");
        FitCli r = FitCli.run("phenomena", sweep.toString(), "--json", "--bootstrap", "10", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = r.json();
        assertEquals("scalinglab.phenomena/1", j.get("schema").asText());
        assertEquals(Json.readTree(out).get("metrics"), j.get("metrics"), "the file holds what stdout printed");
        assertEquals(18, j.get("runs").asInt());
        assertEquals("val_loss", j.get("metrics").get(0).get("metric").asText(), "runs without other metrics: the loss");
        assertEquals("frontier", j.get("broken").get(0).get("kind").asText());
        assertEquals(4, j.get("broken").size(), "the frontier and each of 3 budgets");
        assertTrue(j.get("broken").get(1).get("reason").asText().contains("needs at least 8 points"));
        JsonNode cb = j.get("critical_batch");
        assertEquals(0.25, cb.get("alpha_b").asDouble(), 1e-6);
        assertEquals(3e4, cb.get("b_star").asDouble(), 1);
        assertEquals(2, cb.get("ci").get("alpha_B").size());
    }

    @Test
    void textHasASectionPerPhenomenon() {
        FitCli r = FitCli.run("phenomena", sweep.toString(), "--bootstrap", "0");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("1. metrics on the compute frontier"), r.out());
        assertTrue(r.out().contains("2. smoothly broken power law"), r.out());
        assertTrue(r.out().contains("B_crit(L) = B* / L^(1/alpha_B): B* = 3e4"), r.out());
        assertTrue(r.out().contains("B_crit doubles for every 15.9 % fall in loss"), r.out());
    }

    @Test
    void aFolderWithoutCompletedRunsIsAFitErrorAndAMissingOneADataError() throws IOException {
        Path empty = tmp.resolve("diverged");
        Planted.writeRun(empty.resolve("runs/a"), new RunPoint("a", 1e8, 1e9, 6e17, 3, 1e18, null), "diverged",
                Planted.CHINCHILLA);
        FitCli r = FitCli.run("phenomena", empty.toString());
        assertEquals(ExitCode.FIT.code(), r.code());
        assertTrue(r.err().startsWith("scalinglab: error: no completed runs in "), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertEquals(ExitCode.DATA.code(), FitCli.run("phenomena", tmp.resolve("nope").toString()).code());
        assertEquals(ExitCode.USAGE.code(), FitCli.run("phenomena", sweep.toString(), "--bootstrap", "-1").code());
    }
}
