package org.scalinglab.train.runfolder;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.scalinglab.ScalingLabException;
import org.scalinglab.io.AtomicFiles;
import org.scalinglab.io.Json;
import org.scalinglab.train.runfolder.RunRecords.RunInfo;
import org.scalinglab.train.runfolder.RunRecords.RunResult;

/**
 * A run folder, the unit of truth: what the trainer writes into it and what every reader (the sweep,
 * fit, report, forecast) reads from it. Its files: {@code run.json} ({@link RunInfo}), written before
 * training; {@code metrics.csv} ({@link MetricsRow}s), appended while it trains; {@code result.json}
 * ({@link RunResult}), written at the end; {@code .lock}, held by whoever trains the run. The JSON
 * files are written to a temporary sibling and renamed over the target, so a reader sees a whole file
 * or none. A sweep adds files of its own (see {@code sweep.SweepRunFolder}).
 */
public record RunFolder(Path dir) {
    public static final String RUN_JSON = "run.json";
    public static final String RESULT_JSON = "result.json";
    public static final String METRICS_CSV = "metrics.csv";
    /** The run folder's lock: whoever trains the run holds it (see FolderLock). */
    public static final String LOCK = ".lock";

    /** The folder's name, which a sweep makes its run's id. */
    public String id() {
        return dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
    }

    public Path runJson() {
        return dir.resolve(RUN_JSON);
    }

    public Path resultJson() {
        return dir.resolve(RESULT_JSON);
    }

    public Path metricsCsv() {
        return dir.resolve(METRICS_CSV);
    }

    /** The lock file, absolute, so that two spellings of one folder name one lock. */
    public Path lockFile() {
        return dir.resolve(LOCK).toAbsolutePath().normalize();
    }

    /** Whether the folder holds a run at all: a run.json or a result.json. */
    public boolean isRun() {
        return Files.isRegularFile(runJson()) || Files.isRegularFile(resultJson());
    }

    // ---------------------------------------------------------------- reading

    public boolean hasInfo() {
        return Files.isRegularFile(runJson());
    }

    /** Whether the run has ended; a result.json that is a folder, FIFO or device is an error, not "not yet". */
    public boolean hasResult() {
        String kind = AtomicFiles.notRegular(resultJson());
        if (kind != null) {
            throw ScalingLabException.data(resultJson() + " is " + kind + ", not a run's result file",
                    "move it away: the run then resumes from its checkpoint, or trains again");
        }
        return Files.isRegularFile(resultJson());
    }

    /** run.json, or null when there is none. */
    public RunInfo info() {
        return hasInfo() ? Json.read(runJson(), RunInfo.class) : null;
    }

    /** result.json, or null when there is none. */
    public RunResult result() {
        return hasResult() ? Json.read(resultJson(), RunResult.class) : null;
    }

    /** The recorded status: result.json's, {@link RunStatus#RUNNING} when there is no result.json yet. */
    public RunStatus status() {
        RunResult r = result();
        return r == null ? RunStatus.RUNNING : r.status();
    }

    /** The result, if the run {@code runId} finished here (completed or diverged); else null. */
    public RunResult finished(String runId) {
        RunResult r = result();
        return r != null && r.status().finished() && runId.equals(r.runId()) ? r : null;
    }

    /** metrics.csv as it stands, or null when there is none. */
    public MetricsCsv metrics() {
        return MetricsCsv.read(metricsCsv());
    }

    /** The last step metrics.csv reached (0 when none), read from its tail, for progress while the run trains. */
    public long lastStep() {
        Path f = metricsCsv();
        if (!Files.isRegularFile(f)) {
            return 0;
        }
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
            long len = raf.length();
            int n = (int) Math.min(len, 4096);
            byte[] tail = new byte[n];
            raf.seek(len - n);
            raf.readFully(tail);
            List<String> lines = new String(tail, StandardCharsets.UTF_8).lines().toList();
            for (int i = lines.size() - 1; i >= 0; i--) {
                String l = lines.get(i);
                int comma = l.indexOf(',');
                if (comma > 0) {
                    try {
                        return Long.parseLong(l.substring(0, comma));
                    } catch (NumberFormatException e) {
                        // a partial last line or the header
                    }
                }
            }
            return 0;
        } catch (IOException e) {
            return 0;
        }
    }

    // ---------------------------------------------------------------- writing (the trainer)

    /** Writes run.json atomically. */
    public void writeInfo(RunInfo info) {
        Json.writeAtomically(runJson(), info);
    }

    /** Writes result.json atomically: once it is there, the run has ended. */
    public void writeResult(RunResult result) {
        Json.writeAtomically(resultJson(), result);
    }

    /** Opens metrics.csv for appending; with {@code keepBytes} >= 0 it is first cut to that size (resume). */
    public MetricsLog openMetrics(long keepBytes) {
        return new MetricsLog(metricsCsv(), keepBytes);
    }

    /** Writes metrics.csv atomically as these bytes (a branch's start: its origin's rows up to a checkpoint). */
    public void writeMetrics(byte[] content) {
        AtomicFiles.write(metricsCsv(), out -> out.write(content));
    }
}
