package org.scalinglab;

/** Process exit codes of the CLI; listed in {@code scalinglab --help} and README.md. */
public enum ExitCode {
    OK(0, "success"),
    INTERNAL(1, "internal error (a bug: rerun with --verbose and report the stack trace)"),
    USAGE(2, "bad command-line arguments"),
    CONFIG(3, "malformed or invalid config"),
    DATA(4, "missing or malformed data (corpus, shard, results table)"),
    OUTPUT(5, "results folder cannot be written"),
    ENGINE(6, "engine or device unavailable (natives cannot load, no such GPU)"),
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

    public String meaning() {
        return meaning;
    }
}
