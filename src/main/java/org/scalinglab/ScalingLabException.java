package org.scalinglab;

import java.io.PrintWriter;

/**
 * An error the user can act on: a one-line message, a hint that names the fix, and the exit code
 * the CLI returns. Anything else that escapes a command is treated as a bug.
 */
public class ScalingLabException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ExitCode exitCode;
    private final String hint;

    public ScalingLabException(ExitCode exitCode, String message, String hint) {
        this(exitCode, message, hint, null);
    }

    public ScalingLabException(ExitCode exitCode, String message, String hint, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
        this.hint = hint;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** What to try; may be null. */
    public String hint() {
        return hint;
    }

    public static ScalingLabException config(String message, String hint) {
        return new ScalingLabException(ExitCode.CONFIG, message, hint);
    }

    public static ScalingLabException data(String message, String hint) {
        return new ScalingLabException(ExitCode.DATA, message, hint);
    }

    public static ScalingLabException output(String message, String hint, Throwable cause) {
        return new ScalingLabException(ExitCode.OUTPUT, message, hint, cause);
    }

    /**
     * Prints an error as every command does (one line with its hint and {@code suffix}, the stack trace
     * when verbose) and returns its exit code: a ScalingLabException's own, else an internal error's.
     */
    public static int print(Exception e, PrintWriter err, boolean verbose, String suffix) {
        if (e instanceof ScalingLabException sle) {
            err.println("scalinglab: error: " + sle.getMessage()
                    + (sle.hint() == null ? "" : " (hint: " + sle.hint() + ")") + suffix);
            if (verbose) {
                e.printStackTrace(err);
            }
            return sle.exitCode().code();
        }
        err.println("scalinglab: internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                + (verbose ? "" : " (rerun with --verbose for the stack trace)") + suffix);
        if (verbose) {
            e.printStackTrace(err);
        }
        return ExitCode.INTERNAL.code();
    }
}
