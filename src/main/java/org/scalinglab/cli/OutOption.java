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

    /**
     * The file a one-file command writes for {@code --out}: {@code name} in the folder (an existing one, or a
     * new path without .json); the path itself when it ends in .json or is something other than a folder
     * (an existing file is replaced as before; a device or FIFO is refused by requireFileTarget).
     */
    static Path file(Path out, String name) {
        if (out == null) {
            return null;
        }
        boolean asFile = out.toString().endsWith(".json")
                || java.nio.file.Files.exists(out, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        && !java.nio.file.Files.isDirectory(out);
        Path file = asFile ? out : out.resolve(name);
        if (file != out) {
            AtomicFiles.ensureWritableDirectory(out);
        }
        AtomicFiles.requireFileTarget(file); // before the work, not after it
        return file;
    }

    static final String FILE_OR_DIR = "<dir|file.json>";
}
