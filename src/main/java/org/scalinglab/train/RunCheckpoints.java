package org.scalinglab.train;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.scalinglab.ScalingLabException;
import org.scalinglab.io.AtomicFiles;

/**
 * A run folder's checkpoint files: {@code checkpoint.bin}, the one a killed run resumes from, and the
 * copies {@code checkpoint-STEP.bin} kept at a trunk's branch points for a sweep's warmup-stable-decay
 * cooldowns to start from. {@link Checkpoint} is the file format; this is where the files live and
 * when they go.
 */
final class RunCheckpoints {
    private final Path runDir;

    RunCheckpoints(Path runDir) {
        this.runDir = runDir;
    }

    /** Where the copy of the checkpoint of {@code step} is kept. */
    static Path kept(Path runDir, long step) {
        return runDir.resolve("checkpoint-" + step + ".bin");
    }

    /** The folder's own checkpoint, or null when it has none. */
    Checkpoint.Loaded loadOwn() {
        return Checkpoint.exists(runDir) ? Checkpoint.load(file()) : null;
    }

    void save(LoopState state, NDArray params, NDArray firstMoment, NDArray secondMoment) {
        Checkpoint.save(file(), state, params, firstMoment, secondMoment);
    }

    boolean isKept(long step) {
        return Files.isRegularFile(kept(runDir, step));
    }

    /** Copies the checkpoint just saved to the kept copy of {@code step}. */
    void keep(long step) {
        Path from = file();
        AtomicFiles.write(kept(runDir, step), out -> Files.copy(from, out));
    }

    /** Drops the folder's own checkpoint once the run has finished; kept copies stay for the branches. */
    void delete() {
        try {
            Files.deleteIfExists(file());
        } catch (IOException e) {
            // a leftover checkpoint is harmless: the result marks the run finished
        }
    }

    /**
     * Refuses a checkpoint of another run, or of another shape ({@code parameters}); a branch starts
     * from another run's checkpoint by design, so only its shape must match.
     */
    void checkBelongsHere(LoopState s, String runId, boolean branched, long parameters) {
        if (!branched && !runId.equals(s.runId) || s.parameters != parameters) {
            throw ScalingLabException.data("the checkpoint in " + runDir + " belongs to another run ("
                    + s.runId + ")", "delete it, or train into another folder");
        }
    }

    private Path file() {
        return runDir.resolve(Checkpoint.FILE);
    }
}
