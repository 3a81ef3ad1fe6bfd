package org.scalinglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.ExitCode;
import org.scalinglab.fit.Planted;

class PredictCommandTest {
    @TempDir
    static Path tmp;
    static String fits;

    @BeforeAll
    static void fit() throws IOException {
        Path csv = tmp.resolve("runs.csv");
        StringBuilder sb = new StringBuilder("N,D,loss\n");
        Planted.isoFlop(Planted.CHINCHILLA, Planted.budgets(1e18, 4, 4), 6, 1.5, 0.003, 2).points()
                .forEach(p -> sb.append(p.params()).append(',').append(p.tokens()).append(',').append(p.loss()).append('\n'));
        Files.writeString(csv, sb.toString());
        fits = tmp.resolve("fits.json").toString();
        FitCli.run("fit", csv.toString(), "--bootstrap", "20", "--out", fits).ok();
    }

    @Test
    void computeGivesTheAllocationPerApproach() {
        FitCli r = FitCli.run("predict", "--fit", fits, "--compute", "1e22").ok();
        assertTrue(r.out().contains("approach3 at C = 1e22"), r.out());
        assertTrue(r.out().contains("approach2 at C = 1e22"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.trim().startsWith("N_opt")), r.out());
        assertTrue(r.out().contains("closed form under C = 6ND"));

        JsonNode j = FitCli.run("predict", "--fit", fits, "--compute", "1e22", "--json").json();
        JsonNode p3 = j.get("predictions").get(0);
        assertEquals("approach3", p3.get("approach").asText());
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
        FitCli.run("predict", "--fit", fits, "--compute", "-5").fails(ExitCode.USAGE, "positive");
        FitCli.run("predict", "--fit", tmp.resolve("nope.json").toString(), "--compute", "1e22")
                .fails(ExitCode.DATA, "no such fits file");
        Path other = tmp.resolve("other.json");
        Files.writeString(other, "{\"hello\": 1}");
        FitCli.run("predict", "--fit", other.toString(), "--compute", "1e22").fails(ExitCode.DATA, "not a scalinglab fits file");
    }
}
