package org.scalinglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.ExitCode;
import org.scalinglab.fit.Planted;

class ValidateCommandTest {
    @TempDir
    static Path tmp;
    static Path sweep;

    @BeforeAll
    static void sweep() throws IOException {
        sweep = tmp.resolve("sweep");
        Planted.writeSweep(sweep, Planted.CHINCHILLA, Planted.budgets(1e18, 4, 3), 6, 1.5, 0.003, 3);
    }

    @Test
    void holdsOutTheTopBudgetAndRollsTheOrigin() {
        JsonNode j = FitCli.run("validate", sweep.toString(), "--bootstrap", "20", "--json").json();
        assertEquals("approach3", j.get("approach").asText());
        assertEquals(6, j.get("runs").size());
        JsonNode run = j.get("runs").get(0);
        for (String k : new String[] {"measured", "predicted", "low", "high", "abs_error", "rel_error", "inside"}) {
            assertTrue(run.has(k), k);
        }
        assertTrue(j.get("summary").get("mean_abs_rel_error").asDouble() < 0.02);
        assertEquals(1, j.get("rolling").size(), "fit budgets 1-2, predict 3");
    }

    @Test
    void printsATableAndAcceptsAFraction() {
        FitCli r = FitCli.run("validate", sweep.toString(), "--bootstrap", "10", "--holdout", "0.25").ok();
        assertTrue(r.out().contains("approach3 fitted on 13 runs"), r.out());
        assertTrue(r.out().contains("prediction interval") && r.out().contains("rolling origin"), r.out());
    }

    @Test
    void badOptionsAreUsageErrors() {
        FitCli.run("validate", sweep.toString(), "--holdout", "1.5").fails(ExitCode.USAGE, "--holdout '1.5'");
        FitCli.run("validate", sweep.toString(), "--approach", "2").fails(ExitCode.USAGE, "only approach 3 and kaplan");
    }
}
