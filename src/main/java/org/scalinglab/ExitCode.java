package org.scalinglab;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Process exit codes of the CLI, the one table of them: {@code scalinglab --help} prints its
 * meanings ({@link #helpList}), and every command, worker and executor returns or compares these
 * rather than the numbers.
 */
public enum ExitCode {
    OK(0, "success"),
    /** A bug: the stack trace (with --verbose) says where. */
    INTERNAL(1, "internal error (a bug: rerun with --verbose)"),
    USAGE(2, "bad command-line arguments"),
    CONFIG(3, "malformed or invalid config"),
    /** A corpus, a shard, a results table, a fits.json or validation.json, a checkpoint or metrics.csv. */
    DATA(4, "missing or malformed data"),
    /** Also an --out that is a device, FIFO or folder: only regular files are written. */
    OUTPUT(5, "results folder or output file cannot be written"),
    /** Natives that cannot load, no such GPU, a worker that failed for a reason of its own. */
    ENGINE(6, "engine or device unavailable"),
    DIVERGED(7, "a training run diverged"),
    LOCKED(8, "another process holds the results folder's lock"),
    FIT(9, "a fit cannot be made from the data given");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    /** What the code means, as {@code --help} lists it. */
    public String meaning() {
        return meaning;
    }

    /** The code a process exited with, or null for a status not in the table (a signal, say). */
    public static ExitCode of(int status) {
        for (ExitCode c : values()) {
            if (c.code == status) {
                return c;
            }
        }
        return null;
    }

    /**
     * The exit-code list of a command's help, in picocli's form (right-aligned code, then meaning):
     * every code with its meaning, or only {@code codes}, each with its meaning or the command's own
     * wording of it from {@code wording}.
     */
    public static Map<String, String> helpList(Map<ExitCode, String> wording, ExitCode... codes) {
        Map<String, String> list = new LinkedHashMap<>();
        for (ExitCode c : codes.length == 0 ? values() : codes) {
            list.put(String.format(Locale.ROOT, "%2d", c.code), wording.getOrDefault(c, c.meaning()));
        }
        return list;
    }
}
