package org.scalinglab.fit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The published data under ../shared/validation (relative to the project root, where Maven runs tests). */
final class ValidationData {
    static final Path DIR = Path.of("..", "shared", "validation");

    private ValidationData() {}

    static Path file(String name) {
        assumeTrue(Files.isDirectory(DIR), "published validation data not present at " + DIR.toAbsolutePath()
                + " (this checkout has no ../shared/validation)");
        return DIR.resolve(name);
    }

    /** The Chinchilla replication's 240 points: the SVG-extracted table with the 5 highest losses dropped. */
    static RunTable chinchilla240() {
        ReadOptions opts = ReadOptions.defaults().withColumns("Model Size", null, "Training FLOP", "loss");
        return RunTableReader.readCsv(file("epoch_chinchilla_svg_extracted_data.csv"), opts).dropHighest(5);
    }
}
