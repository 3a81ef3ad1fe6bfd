package org.scalinglab;

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
}
