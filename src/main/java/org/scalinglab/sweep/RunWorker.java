package org.scalinglab.sweep;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.RunConfig;
import org.scalinglab.io.FolderLock;
import org.scalinglab.sweep.SweepRunFolder.SweepRun;
import org.scalinglab.train.Trainer;
import org.scalinglab.train.TrainingListener;
import org.scalinglab.train.runfolder.RunRecords.RunResult;

/**
 * Trains one run folder of a sweep, in the worker process a local executor or a Slurm task starts:
 * takes the run's lock (so an orphaned worker and a new one never write the same folder), reads
 * config.yaml, starts a WSD branch from its trunk's checkpoint or keeps a trunk's checkpoints, and
 * trains; a crash leaves failure.json for runs.csv. Returns 0 (completed) or 7 (diverged).
 */
public final class RunWorker {
    private RunWorker() {}

    public static int run(Path runDir, String device, Integer threads, TrainingListener listener) {
        SweepRunFolder f = new SweepRunFolder(runDir);
        if (!Files.isRegularFile(runDir.resolve(SweepRunFolder.CONFIG_YAML))) {
            throw ScalingLabException.config("no " + SweepRunFolder.CONFIG_YAML + " in " + runDir,
                    "give a run folder of a sweep (results/<sweep>/runs/<id>)");
        }
        try (FolderLock lock = FolderLock.acquire(f.lockFile(), "run folder " + runDir)) {
            f.clearFailure();
            try {
                RunResult r = trainer(f, device, threads, listener).holding(lock).run();
                return r.completed() ? ExitCode.OK.code() : ExitCode.DIVERGED.code();
            } catch (ScalingLabException e) {
                f.writeFailure(e.exitCode().code(), e.getMessage());
                throw e;
            } catch (RuntimeException | Error e) {
                f.writeFailure(ExitCode.INTERNAL.code(), e.getClass().getSimpleName() + ": " + e.getMessage());
                throw e;
            }
        }
    }

    private static Trainer trainer(SweepRunFolder f, String device, Integer threads, TrainingListener listener) {
        List<String> overrides = new ArrayList<>();
        if (device != null) {
            overrides.add("device=" + device);
        }
        if (threads != null) {
            overrides.add("threads=" + threads);
        }
        RunConfig config = f.config(overrides);
        Trainer trainer = new Trainer(config, f.dir(), listener);
        SweepRun info = f.sweepRun();
        if (info == null) {
            return trainer;
        }
        if (info.keepCheckpointsAt() != null && !info.keepCheckpointsAt().isEmpty()) {
            trainer.keepingCheckpointsAt(info.keepCheckpointsAt());
        }
        if (info.branchOf() != null && f.finished() == null && !f.hasCheckpoint()) {
            Path from = new SweepRunFolder(f.dir().resolveSibling(info.branchOf())).keptCheckpoint(info.branchStep());
            if (!Files.isRegularFile(from)) {
                throw ScalingLabException.data("this WSD branch starts from its trunk's checkpoint " + from
                        + ", which does not exist (yet)", "train the trunk run " + info.branchOf() + " first");
            }
            trainer.startingFrom(from);
        }
        return trainer;
    }

    /**
     * Ends this process when its parent does: the parent holds this process's stdin open and never
     * writes to it, so end-of-file means the sweep died (even by kill -9) and its workers must not
     * go on writing results that a restarted sweep is about to write.
     */
    public static void exitWithParent() {
        Thread t = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // nothing is ever written; wait for end-of-file
                }
            } catch (IOException ignored) {
                // a broken pipe means the same
            }
            Runtime.getRuntime().halt(143); // checkpoints and results are written atomically; nothing to flush
        }, "exit-with-parent");
        t.setDaemon(true);
        t.start();
    }
}
