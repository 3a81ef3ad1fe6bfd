package org.scalinglab.train.runfolder;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a run folder's run stands, as its files say: result.json's {@code status} once the trainer has
 * ended the run ({@code completed}, {@code diverged}, {@code failed}), {@link #RUNNING} before that
 * (there is no result.json yet: the run is training, or was killed and can be resumed). A sweep adds
 * states of its own on top (pending, partial, blocked: see {@code sweep.RunsTable}).
 */
public enum RunStatus {
    /** No result.json yet. Never written into one. */
    RUNNING,
    /** Trained to its last step; result.json has the final losses. */
    COMPLETED,
    /** Stopped by the divergence check; a result, not an error (result.json has no final validation loss). */
    DIVERGED,
    /** libtorch failed (out of memory, say); result.json has the message. */
    FAILED,
    /** result.json has no status, or one this version does not know. */
    UNKNOWN;

    /** The lower-case word the files and the tables use. */
    @JsonValue
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Completed or diverged: a sweep never trains the run again. */
    public boolean finished() {
        return this == COMPLETED || this == DIVERGED;
    }

    @JsonCreator
    public static RunStatus parse(String s) {
        if (s == null || s.isBlank()) {
            return UNKNOWN;
        }
        for (RunStatus v : values()) {
            if (v != UNKNOWN && v.key().equals(s.strip().toLowerCase(Locale.ROOT))) {
                return v;
            }
        }
        return UNKNOWN;
    }

    @Override
    public String toString() {
        return key();
    }
}
