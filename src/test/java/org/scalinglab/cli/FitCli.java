package org.scalinglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.scalinglab.ExitCode;
import org.scalinglab.io.Json;

/** Runs the CLI in-process and keeps what it printed (for the fit, predict and validate tests). */
record FitCli(int code, String out, String err) {
    static FitCli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ScalingLab.run(new PrintWriter(out), new PrintWriter(err), args);
        return new FitCli(code, out.toString(), err.toString());
    }

    FitCli ok() {
        assertEquals(0, code, () -> "exit " + code + ", stderr: " + err);
        return this;
    }

    /** Stdout is exactly one JSON object. */
    JsonNode json() {
        ok();
        try {
            JsonNode j = Json.mapper().readTree(out);
            assertTrue(j.isObject(), "one JSON object on stdout");
            // nothing but whitespace may follow the object
            com.fasterxml.jackson.core.JsonParser p = Json.mapper().getFactory().createParser(out);
            p.readValueAsTree();
            assertEquals(null, p.nextToken(), "nothing after the JSON object");
            return j;
        } catch (java.io.IOException e) {
            throw new AssertionError("stdout is not JSON: " + out, e);
        }
    }

    /** A one-line user error with the given exit code, no stack trace. */
    FitCli fails(ExitCode expected, String fragment) {
        assertEquals(expected.code(), code, () -> "stdout: " + out + "\nstderr: " + err);
        String e = err.strip();
        assertFalse(e.contains("\n"), "one line: " + e);
        assertTrue(e.startsWith("scalinglab: error: "), e);
        assertFalse(e.contains("Exception"), e);
        assertTrue(e.contains(fragment), () -> "'" + fragment + "' in: " + e);
        return this;
    }

    /**
     * fits.json of a planted Chinchilla-like law fitted from a CSV of its IsoFLOP runs (4 budgets from
     * 1e18, 6 sizes each, 0.3% noise; 20 bootstrap refits), written into {@code dir}; its path.
     */
    static String plantedFits(java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path csv = dir.resolve("runs.csv");
        StringBuilder sb = new StringBuilder("N,D,loss\n");
        org.scalinglab.fit.Planted.isoFlop(org.scalinglab.fit.Planted.CHINCHILLA,
                org.scalinglab.fit.Planted.budgets(1e18, 4, 4), 6, 1.5, 0.003, 2).points()
                .forEach(p -> sb.append(p.params()).append(',').append(p.tokens()).append(',').append(p.loss())
                        .append('\n'));
        java.nio.file.Files.writeString(csv, sb.toString());
        String fits = dir.resolve("fits.json").toString();
        run("fit", csv.toString(), "--bootstrap", "20", "--out", fits).ok();
        return fits;
    }
}
