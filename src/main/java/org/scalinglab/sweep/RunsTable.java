package org.scalinglab.sweep;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.RunConfig;
import org.scalinglab.io.AtomicFiles;
import org.scalinglab.sweep.SweepRunFolder.Failure;
import org.scalinglab.sweep.SweepRunFolder.SweepRun;
import org.scalinglab.train.RunPlan;
import org.scalinglab.train.runfolder.RunRecords.RunResult;
import org.scalinglab.train.runfolder.RunStatus;

/**
 * {@code runs.csv}: one row per run of the sweep's plan, rebuilt from the run folders (the truth)
 * each time and written atomically, so it can be deleted, or be stale after a crash, at no loss.
 * Statuses: completed, diverged, failed (a worker crashed or libtorch failed; retried by the next
 * sweep), running (a worker holds the run's lock), partial (a checkpoint to resume from), blocked
 * (a WSD branch whose trunk finished without the checkpoint it starts from), pending.
 */
public final class RunsTable {
    /**
     * A sweep run's status: a run folder's own ({@link RunStatus}: completed, diverged, failed, running)
     * and the sweep's states on top of it; in runs.csv and the tables as {@link #key()}. In summary order.
     */
    public enum Status {
        COMPLETED, DIVERGED, FAILED, BLOCKED, RUNNING, PARTIAL, PENDING;

        /** The lower-case word runs.csv and the tables use (a run folder's own ones are RunStatus' keys). */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public String toString() {
            return key();
        }
    }

    private static final CsvMapper CSV = CsvMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
    private static final ObjectWriter WRITER = CSV.writer(CSV.schemaFor(Row.class).withHeader())
            .with(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING); // quote only what needs it, not every long text
    private static final Object WRITING = new Object();

    private RunsTable() {}

    /** One run as its folder tells it. */
    public record RunState(String id, Status status, SweepRunFolder folder, SweepRun info, RunConfig config, RunPlan plan,
            RunResult result, Failure failure) {

        public boolean finished() {
            return status == Status.COMPLETED || status == Status.DIVERGED;
        }

        public String label() {
            return info != null ? info.label() : id;
        }

        /** Why it did not complete, in a line. */
        public String message() {
            if (result != null && !result.completed()) {
                return result.message();
            }
            if (failure != null && status == Status.FAILED) {
                return failure.message();
            }
            if (status == Status.BLOCKED) {
                return "trunk " + info.branchOf() + " finished without its checkpoint at step " + info.branchStep();
            }
            return "";
        }
    }

    /** A row of runs.csv: N in three conventions, D, C in two, D/N, and how the run ended. */
    @JsonPropertyOrder({"id", "label", "status", "budget", "layers", "d_model", "heads", "context", "params_total",
        "params_non_embedding", "params_non_embedding_with_head", "tokens", "steps", "flops_kaplan", "flops_chinchilla",
        "tokens_per_param", "epochs", "lr", "seed", "final_val_loss", "final_val_loss_se", "final_train_loss",
        "best_val_loss", "wall_seconds", "tokens_per_s", "device", "branch_of", "message", "path"})
    public record Row(String id, String label, String status, Double budget, int layers, int dModel, int heads,
            int context, long paramsTotal, long paramsNonEmbedding, long paramsNonEmbeddingWithHead, long tokens,
            long steps, double flopsKaplan, double flopsChinchilla, double tokensPerParam, Double epochs, Double lr,
            Long seed, Double finalValLoss, Double finalValLossSe, Double finalTrainLoss, Double bestValLoss,
            Double wallSeconds, Double tokensPerS, String device, String branchOf, String message, String path) {}

    /** The states of the plan's runs (sweep.json), in plan order. */
    public static List<RunState> read(SweepFolder sweep) {
        return read(sweep, sweep.plannedIds());
    }

    public static List<RunState> read(SweepFolder sweep, List<String> ids) {
        Map<String, RunState> states = new LinkedHashMap<>();
        for (String id : ids) {
            states.put(id, state(new SweepRunFolder(sweep.run(id))));
        }
        Map<String, RunState> byId = new HashMap<>(states);
        List<RunState> out = new ArrayList<>();
        for (RunState s : states.values()) {
            out.add(blockedIfTrunkEnded(s, byId, sweep));
        }
        return out;
    }

    static RunState state(SweepRunFolder f) {
        SweepRun info = f.sweepRun();
        RunConfig config = null;
        RunPlan plan = null;
        if (Files.isRegularFile(f.dir().resolve(SweepRunFolder.CONFIG_YAML))) {
            config = f.config(List.of());
            plan = RunPlan.of(config, config.data().vocabSize());
        }
        RunResult result = f.result();
        if (result != null && !f.id().equals(result.runId())) {
            result = null;
        }
        Failure failure = f.failure();
        Status status;
        if (result != null && result.status().finished()) {
            status = result.completed() ? Status.COMPLETED : Status.DIVERGED;
        } else if (f.running()) {
            status = Status.RUNNING;
        } else if (failure != null || result != null) {
            status = Status.FAILED;
            if (failure == null) {
                failure = new Failure(-1, result.message(), result.finishedAt());
            }
        } else if (f.hasCheckpoint()) {
            status = Status.PARTIAL;
        } else {
            status = Status.PENDING;
        }
        return new RunState(f.id(), status, f, info, config, plan, result, failure);
    }

    private static RunState blockedIfTrunkEnded(RunState s, Map<String, RunState> byId, SweepFolder sweep) {
        if (s.status() != Status.PENDING || s.info() == null || s.info().branchOf() == null) {
            return s;
        }
        RunState trunk = byId.containsKey(s.info().branchOf()) ? byId.get(s.info().branchOf())
                : state(new SweepRunFolder(sweep.run(s.info().branchOf())));
        boolean kept = Files.isRegularFile(trunk.folder().keptCheckpoint(s.info().branchStep()));
        if (trunk.finished() && !kept) {
            return new RunState(s.id(), Status.BLOCKED, s.folder(), s.info(), s.config(), s.plan(), null, null);
        }
        return s;
    }

    static Row row(RunState s, SweepFolder sweep) {
        RunPlan p = s.plan();
        RunResult r = s.result();
        String path = sweep.root().relativize(s.folder().dir()).toString();
        if (p == null) {
            return new Row(s.id(), s.label(), s.status().key(), null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, null,
                    null, null, null, null, null, null, "", "", "no config.yaml", path);
        }
        var shape = p.shape();
        return new Row(s.id(), s.label(), s.status().key(), s.info() == null ? null : s.info().budget(), shape.layers(),
                shape.dModel(), shape.heads(), shape.context(), p.params().total(), p.params().nonEmbedding(),
                p.params().nonEmbeddingWithHead(), p.tokens(), p.steps(), p.flopsKaplan(), p.flopsChinchilla(),
                p.tokensPerParam(),
                r != null ? Double.valueOf(r.trained().epochs()) : s.info() == null ? null : s.info().epochs(),
                s.config().train().optimizer().lr(), s.config().seed(),
                r == null ? null : r.losses().finalValLoss(), r == null ? null : r.losses().finalValLossSe(),
                r == null ? null : r.losses().finalTrainLoss(),
                r == null ? null : r.losses().bestValLoss(), r == null ? null : r.speed().wallSeconds(),
                r == null ? null : r.speed().tokensPerS(), r == null ? "" : r.setup().device(),
                s.info() == null || s.info().branchOf() == null ? "" : s.info().branchOf(), s.message(), path);
    }

    /** Rebuilds runs.csv and metrics.csv ({@link MetricsTable}) from the run folders; safe against other processes doing the same. */
    public static List<RunState> write(SweepFolder sweep) {
        synchronized (WRITING) {
            Path lockFile = sweep.root().resolve(".runs-csv.lock");
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = ch.lock()) {
                List<RunState> states = read(sweep);
                List<Row> rows = states.stream().map(s -> row(s, sweep)).toList();
                String csv = WRITER.writeValueAsString(rows);
                AtomicFiles.write(sweep.runsCsv(), out -> out.write(csv.getBytes(StandardCharsets.UTF_8)));
                MetricsTable.write(sweep, rows);
                return states;
            } catch (IOException e) {
                throw ScalingLabException.output("cannot write " + sweep.runsCsv() + ": " + e.getMessage(),
                        "check that the results folder is writable", e);
            }
        }
    }

    /** Counts by status, e.g. "12 completed, 1 diverged, 2 pending". */
    public static String summary(List<RunState> states) {
        Map<Status, Integer> counts = new LinkedHashMap<>();
        for (Status s : Status.values()) {
            counts.put(s, 0);
        }
        states.forEach(s -> counts.merge(s.status(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        counts.forEach((k, v) -> {
            if (v > 0) {
                parts.add(v + " " + k);
            }
        });
        return states.size() + " runs: " + (parts.isEmpty() ? "none" : String.join(", ", parts));
    }
}
