package org.scalinglab.fit;

import java.nio.file.Files;
import java.nio.file.Path;
import org.scalinglab.ScalingLabException;
import org.scalinglab.io.Json;

/** Writes fits.json atomically and reads it back for {@code predict}. */
public final class FitsJson {
    private FitsJson() {}

    public static String toJson(FitReport report) {
        return Json.write(report);
    }

    public static void write(Path target, FitReport report) {
        Json.writeAtomically(target, report);
    }

    public static FitReport read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw ScalingLabException.data("no such fits file: " + file, "write one with 'scalinglab fit ... --out "
                    + file + "'");
        }
        FitReport r = Json.read(file, FitReport.class);
        if (r == null || r.schema() == null || !r.schema().startsWith("scalinglab.fits/")) {
            throw ScalingLabException.data(file + " is not a scalinglab fits file (no \"schema\": \""
                    + FitReport.SCHEMA + "\")", "write one with 'scalinglab fit ... --out fits.json'");
        }
        return r;
    }
}
