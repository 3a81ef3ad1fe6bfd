package org.scalinglab.fit;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import org.scalinglab.fit.input.ReadOptions;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.input.RunTableReader;

/**
 * The published data the fit is checked against: the project's copies under
 * {@code src/test/resources/org/scalinglab/fit/validation/} (SOURCES.md there names each file's origin and
 * commit). A missing file is a failure, never a skip.
 */
public final class ValidationData {
    static final String FOLDER = "validation/";

    private ValidationData() {}

    public static Path file(String name) {
        URL url = ValidationData.class.getResource(FOLDER + name);
        if (url == null) {
            throw new AssertionError("validation data missing from the test classpath: org/scalinglab/fit/"
                    + FOLDER + name + " (see src/test/resources/org/scalinglab/fit/validation/SOURCES.md)");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError("cannot open " + url, e);
        }
    }

    /** The Chinchilla replication's 240 points: the SVG-extracted table with the 5 highest losses dropped. */
    public static RunTable chinchilla240() {
        ReadOptions opts = ReadOptions.defaults().withColumns("Model Size", null, "Training FLOP", "loss");
        return RunTableReader.readCsv(file("epoch_chinchilla_svg_extracted_data.csv"), opts).dropHighest(5);
    }
}
