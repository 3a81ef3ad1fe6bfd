package org.scalinglab.cli;

import java.nio.file.Path;
import org.scalinglab.io.AtomicFiles;

/**
 * What {@code --out} means on every command: the folder the command writes into, under its standard
 * names (fit: fits.json, validate: validation.json, phenomena: phenomena.json, bench: bench.csv and
 * bench.json, report: index.html and figures/, train: the run folder's files). The commands that write
 * one JSON file also take a path ending in .json as that file itself, as they always have.
 */
final class OutOption {
    private OutOption() {}

    /** The file a one-file command writes for {@code --out}: the .json path itself, else {@code name} in the folder. */
    static Path file(Path out, String name) {
        if (out == null) {
            return null;
        }
        Path file = out.toString().endsWith(".json") ? out : out.resolve(name);
        if (file != out) {
            AtomicFiles.ensureWritableDirectory(out);
        }
        AtomicFiles.requireFileTarget(file); // before the work, not after it
        return file;
    }

    static final String FILE_OR_DIR = "<dir|file.json>";
}
