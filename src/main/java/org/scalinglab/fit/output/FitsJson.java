package org.scalinglab.fit.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.scalinglab.ScalingLabException;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.io.AtomicFiles;
import org.scalinglab.io.Json;
import org.scalinglab.io.JsonRules;

/**
 * Writes fits.json atomically and reads it back for {@code predict} and {@code report}, checked first
 * against {@link FitReport#RULES} (each section's rules beside its record); the first problem is one line
 * naming the field ({@code approach3.alpha is missing}), exit code 4.
 */
public final class FitsJson {
    private FitsJson() {}

    public static void write(Path target, FitReport report) {
        Json.writeAtomically(target, report);
    }

    public static FitReport read(Path file) {
        String kind = AtomicFiles.notRegular(file);
        if (kind != null) {
            // no hint to write there: fit --out would refuse it, and a device must not be replaced
            throw ScalingLabException.data(file + " is " + kind + ", not a fits file",
                    "give the fits.json that 'scalinglab fit <results> --out fits.json' wrote");
        }
        if (!Files.isRegularFile(file)) {
            throw ScalingLabException.data("no such fits file: " + file, "write one with 'scalinglab fit ... --out "
                    + file + "'");
        }
        JsonNode tree = Json.readTree(file);
        check(tree, file); // before binding, which would read a missing number as 0
        FitReport r;
        try {
            r = Json.mapper().treeToValue(tree, FitReport.class);
        } catch (IOException | IllegalArgumentException e) {
            throw ScalingLabException.data("cannot read " + file + " as a fits file: "
                    + e.getMessage().lines().findFirst().orElse(""), "write it again with 'scalinglab fit <results> --out "
                    + "fits.json' (a file of its own)");
        }
        return r;
    }

    /** Checks a fits.json document; the first problem is a one-line data error (exit code 4) naming the field. */
    static void check(JsonNode document, Path file) {
        JsonNode schema = document.path("schema");
        if (!schema.isTextual() || !schema.asText().startsWith("scalinglab.fits/")) {
            throw ScalingLabException.data(file + " is not a scalinglab fits file (no \"schema\": \""
                    + FitReport.SCHEMA + "\")", "give a fits.json written by 'scalinglab fit <results> --out fits.json'");
        }
        try {
            FitReport.RULES.check(document, "");
        } catch (JsonRules.Invalid e) {
            throw ScalingLabException.data(file + " is not a valid fits file: " + e.getMessage(),
                    "write it again with 'scalinglab fit <results> --out " + file + "'");
        }
    }
}
