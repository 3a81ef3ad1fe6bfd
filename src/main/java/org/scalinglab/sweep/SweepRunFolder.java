package org.scalinglab.sweep;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.ConfigLoader;
import org.scalinglab.config.RunConfig;
import org.scalinglab.config.StrictYaml;
import org.scalinglab.io.AtomicFiles;
import org.scalinglab.io.FolderLock;
import org.scalinglab.io.Json;
import org.scalinglab.train.Checkpoint;
import org.scalinglab.train.Trainer;
import org.scalinglab.train.runfolder.RunFolder;
import org.scalinglab.train.runfolder.RunRecords.RunResult;

/**
 * A sweep's run folder, {@code runs/<id>/}. Besides what the trainer writes and {@link RunFolder}
 * reads (run.json, metrics.csv, result.json, the lock) and the checkpoints, it holds what the sweep adds: {@code config.yaml}, the
 * resolved run config (so that a worker, a Slurm task or a person can rerun it with
 * {@code scalinglab train}); {@code sweep-run.json}, the run's place in the design; {@code train.log};
 * and {@code failure.json} when its worker crashed.
 */
public record SweepRunFolder(Path dir) {
    public static final String CONFIG_YAML = "config.yaml";
    public static final String SWEEP_RUN_JSON = "sweep-run.json";
    public static final String FAILURE_JSON = "failure.json";
    public static final String TRAIN_LOG = "train.log";

    /**
     * The run's place in the sweep.
     *
     * @param branchOf for a WSD cooldown, the trunk run it starts from, at {@code branchStep}
     * @param keepCheckpointsAt for a WSD trunk, the steps whose checkpoints its branches need
     * @param epochs passes over the training split its tokens make (planned)
     */
    public record SweepRun(String id, String label, Double budget, String branchOf, Long branchStep,
            List<Long> keepCheckpointsAt, Double epochs) {

        static SweepRun of(PlannedRun r) {
            return new SweepRun(r.id(), r.label(), r.budget(), r.branch() == null ? null : r.branch().trunk(),
                    r.branch() == null ? null : r.branch().step(), r.keepCheckpointsAt(), r.epochs());
        }
    }

    /** How a worker ended when it did not end with a result: a crash, a kill, an engine error. */
    public record Failure(int exitCode, String message, String at) {}

    public String id() {
        return dir.getFileName().toString();
    }

    /** The trainer's files of this folder. */
    public RunFolder run() {
        return new RunFolder(dir);
    }

    /** Writes config.yaml and sweep-run.json; a folder that has them already keeps them. */
    public void prepare(PlannedRun run) {
        AtomicFiles.ensureWritableDirectory(dir, Sweeper.RESULTS_DIR_HINT);
        if (!Files.isRegularFile(dir.resolve(CONFIG_YAML))) {
            AtomicFiles.writeString(dir.resolve(CONFIG_YAML), "# Resolved config of run " + run.id() + " ("
                    + run.label() + "), written by the sweep.\n# Rerun it with: scalinglab train "
                    + dir.resolve(CONFIG_YAML) + " --out " + dir + "\n" + yaml(run.config()));
        }
        if (!Files.isRegularFile(dir.resolve(SWEEP_RUN_JSON))) {
            Json.writeAtomically(dir.resolve(SWEEP_RUN_JSON), SweepRun.of(run));
        }
    }

    /** A resolved run config as YAML that {@code ConfigLoader.load} reads back to the same config and id. */
    public static String yaml(RunConfig config) {
        try {
            return StrictYaml.mapper().writeValueAsString(config).replaceFirst("^---\\s*\\n", "");
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise run config " + config.id(), e);
        }
    }

    /** The run config from config.yaml, with device and thread overrides; its id must be the folder's name. */
    public RunConfig config(List<String> overrides) {
        RunConfig c = ConfigLoader.load(dir.resolve(CONFIG_YAML), overrides);
        if (!c.id().equals(id())) {
            throw ScalingLabException.config(dir.resolve(CONFIG_YAML) + " resolves to run " + c.id()
                    + ", not to the folder's run " + id() + " (edited by hand?)",
                    "restore the file, or delete the run folder and run the sweep again");
        }
        return c;
    }

    public SweepRun sweepRun() {
        Path f = dir.resolve(SWEEP_RUN_JSON);
        return Files.isRegularFile(f) ? Json.read(f, SweepRun.class) : null;
    }

    public RunResult result() {
        return run().result();
    }

    /** The result if the run finished (completed or diverged), else null. */
    public RunResult finished() {
        return run().finished(id());
    }

    public Failure failure() {
        Path f = dir.resolve(FAILURE_JSON);
        return Files.isRegularFile(f) ? Json.read(f, Failure.class) : null;
    }

    public void writeFailure(int exitCode, String message) {
        Json.writeAtomically(dir.resolve(FAILURE_JSON), new Failure(exitCode, message, Instant.now().toString()));
    }

    public void clearFailure() {
        try {
            Files.deleteIfExists(dir.resolve(FAILURE_JSON));
        } catch (IOException e) {
            throw ScalingLabException.output("cannot delete " + dir.resolve(FAILURE_JSON) + ": " + e.getMessage(), null, e);
        }
    }

    public Path lockFile() {
        return run().lockFile();
    }

    public boolean running() {
        return FolderLock.isHeld(lockFile());
    }

    public boolean hasCheckpoint() {
        return Checkpoint.exists(dir);
    }

    /** The checkpoint a WSD trunk kept at {@code step}. */
    public Path keptCheckpoint(long step) {
        return Trainer.keptCheckpoint(dir, step);
    }

    public Path log() {
        return dir.resolve(TRAIN_LOG);
    }

    /** The last non-blank line of train.log (a crashed worker's last words), or "". */
    public String lastLogLine() {
        Path f = log();
        if (!Files.isRegularFile(f)) {
            return "";
        }
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
            long len = raf.length();
            int n = (int) Math.min(len, 8192);
            byte[] tail = new byte[n];
            raf.seek(len - n);
            raf.readFully(tail);
            List<String> lines = new String(tail, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** The last step metrics.csv reached (0 when none), for progress while the run trains. */
    public long lastStep() {
        return run().lastStep();
    }
}
