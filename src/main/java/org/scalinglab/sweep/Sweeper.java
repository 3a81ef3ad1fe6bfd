package org.scalinglab.sweep;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.io.AtomicFiles;
import org.scalinglab.io.FolderLock;
import org.scalinglab.io.Hashing;
import org.scalinglab.io.Json;
import org.scalinglab.io.JvmLauncher;
import org.scalinglab.model.ShapeFamily;
import org.scalinglab.sweep.RunsTable.RunState;
import org.scalinglab.sweep.SweepConfig.ExecutorKind;
import org.scalinglab.train.Provenance;

/**
 * A sweep from plan to runs.csv: locks {@code results/<sweep>/}, writes sweep.json and each run's
 * folder (config.yaml, sweep-run.json), works out from the folders which runs are unfinished, and
 * trains them locally or submits them to Slurm. Finished runs are never touched; failed ones are
 * retried, resuming from their checkpoints.
 *
 * <p>Exit codes: 0 when every run finished, diverged runs included (they are results: recorded as
 * such, reported as a warning, left out by the fit); a failed run's worker exit code when it is one
 * of 3-6, else 6; 8 when the folder, or a run in it, is held by another process.
 */
public final class Sweeper {
    private final SweepConfig sweep;
    private final Path source;
    private final PrintWriter out;
    private final PrintWriter err;
    private final SweepFolder folder;
    private Map<String, String> slurmEnv = Map.of();

    /** @param source the sweep file, for sweep.json's provenance (null when there is none) */
    public Sweeper(SweepConfig sweep, Path source, PrintWriter out, PrintWriter err) {
        this.sweep = sweep;
        this.source = source;
        this.out = out;
        this.err = err;
        this.folder = new SweepFolder(sweep.folder());
    }

    /** Environment for sbatch and squeue (SLURM_CONF of a test cluster, for instance). */
    public Sweeper withSlurmEnv(Map<String, String> env) {
        this.slurmEnv = Map.copyOf(env);
        return this;
    }

    /** sweep, plan and run have no --out: the results folder is the config's results_dir. */
    static final String RESULTS_DIR_HINT = "choose a writable results folder with results_dir in the sweep config, "
            + "or --set results_dir=<dir>";

    public SweepFolder folder() {
        return folder;
    }

    public JvmLauncher launcher() {
        return JvmLauncher.current(sweep.executor().jvmOptions());
    }

    /** Runs or submits the unfinished runs of {@code report}'s plan; with Slurm, {@code wait} follows them. */
    public int sweep(Planner.Report report, boolean wait, SweepProgress progress) {
        SweepPlan plan = report.plan();
        if (report.unavailable() != null && report.executor() == ExecutorKind.LOCAL) {
            throw new ScalingLabException(ExitCode.ENGINE, report.unavailable(), null);
        }
        List<RunState> before;
        AtomicFiles.ensureWritableDirectory(folder.root(), RESULTS_DIR_HINT);
        try (FolderLock lock = FolderLock.acquire(folder.lock(), "sweep folder " + folder.root())) {
            writeSweepJson(plan);
            for (PlannedRun r : plan.runs()) {
                new SweepRunFolder(folder.run(r.id())).prepare(r);
            }
            noteStrayFolders(plan);
            before = RunsTable.write(folder);
            List<PlannedRun> todo = new ArrayList<>();
            Set<String> busy = new HashSet<>();
            Map<String, String> queued = report.executor() == ExecutorKind.SLURM ? slurm().queued() : Map.of();
            for (RunState s : before) {
                if (s.finished() || s.status() == RunsTable.Status.BLOCKED) {
                    continue;
                }
                if (s.status() == RunsTable.Status.RUNNING || queued.containsKey(s.id())) {
                    busy.add(s.id());
                    continue;
                }
                todo.add(plan.run(s.id()).orElseThrow());
            }
            long finished = before.stream().filter(RunState::finished).count();
            out.printf("sweep %s: %d runs, %d finished, %d to %s%s -> %s%n", sweep.name(), plan.runs().size(),
                    finished, todo.size(), report.executor() == ExecutorKind.SLURM ? "submit" : "train",
                    busy.isEmpty() ? "" : ", " + busy.size() + " running elsewhere", folder.root());
            out.flush();
            if (report.executor() == ExecutorKind.SLURM) {
                if (!todo.isEmpty()) {
                    for (SlurmExecutor.Submission s : slurm().submit(todo)) {
                        out.printf("submitted %d runs as Slurm job %s%s%n", s.runs().size(), s.jobId(),
                                s.dependsOn() == null ? "" : " (after job " + s.dependsOn() + ")");
                    }
                }
            } else if (!todo.isEmpty()) {
                out.println("workers: " + report.target());
                out.flush();
                Map<String, Double> work = work(plan, report);
                progress.begin(plan.runs().size(), (int) finished, total(work),
                        before.stream().filter(RunState::finished).mapToDouble(s -> work.get(s.id())).sum());
                try {
                    new LocalExecutor(folder, report.slots(), launcher(), progress).run(todo, work);
                } finally {
                    progress.close();
                }
            }
        }
        if (report.executor() == ExecutorKind.SLURM) {
            if (!wait) {
                out.printf("follow it with: scalinglab sweep <sweep.yaml> --status (runs.csv: %s)%n", folder.runsCsv());
                return ExitCode.OK.code();
            }
            waitForSlurm(plan, progress);
        }
        return finish(RunsTable.write(folder));
    }

    private SlurmExecutor slurm() {
        return new SlurmExecutor(sweep, folder, launcher(), slurmEnv);
    }

    /** Polls the results and the queue until no unfinished run of the plan is queued or running. */
    private void waitForSlurm(SweepPlan plan, SweepProgress progress) {
        Set<String> reported = new HashSet<>();
        RunsTable.read(folder).stream().filter(RunState::finished).forEach(s -> reported.add(s.id()));
        progress.begin(plan.runs().size(), reported.size(), plan.runs().size(), reported.size());
        try {
            while (true) {
                Map<String, String> queued = slurm().queued();
                List<RunState> states = RunsTable.read(folder);
                for (RunState s : states) {
                    if (s.finished() && reported.add(s.id())) {
                        progress.finished(s);
                    }
                }
                progress.update(reported.size());
                boolean active = states.stream().anyMatch(s -> !s.finished()
                        && (queued.containsKey(s.id()) || s.status() == RunsTable.Status.RUNNING));
                if (!active) {
                    return;
                }
                Thread.sleep(sweep.slurm().pollSeconds() * 1000L);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            progress.close();
        }
    }

    /** The summary and the exit code from the folders' final states. */
    int finish(List<RunState> states) {
        out.println(RunsTable.summary(states) + "; table: " + folder.runsCsv());
        List<String> diverged = states.stream().filter(s -> s.status() == RunsTable.Status.DIVERGED)
                .map(RunState::label).toList();
        if (!diverged.isEmpty()) {
            err.println("scalinglab: warning: " + diverged.size() + " run(s) diverged and are recorded as such "
                    + "(the fit leaves them out): " + String.join(", ", diverged));
        }
        List<RunState> blocked = states.stream().filter(s -> s.status() == RunsTable.Status.BLOCKED).toList();
        if (!blocked.isEmpty()) {
            err.println("scalinglab: warning: " + blocked.size() + " WSD branch(es) cannot start: "
                    + blocked.get(0).message());
        }
        List<RunState> failed = states.stream().filter(s -> s.status() == RunsTable.Status.FAILED).toList();
        if (!failed.isEmpty()) {
            RunState f = failed.get(0);
            err.println("scalinglab: error: " + failed.size() + " run(s) failed; the first, " + f.label() + " ("
                    + f.id() + "): " + f.message() + " (hint: see " + f.folder().log()
                    + "; running the sweep again retries failed runs from their checkpoints)");
            // the worker's own reason when it is one of these, else the device's
            ExitCode code = f.failure() == null ? null : ExitCode.of(f.failure().exitCode());
            return (code == ExitCode.CONFIG || code == ExitCode.DATA || code == ExitCode.OUTPUT ? code
                    : ExitCode.ENGINE).code();
        }
        long unfinished = states.stream().filter(s -> !s.finished() && s.status() != RunsTable.Status.BLOCKED).count();
        long held = states.stream().filter(s -> s.status() == RunsTable.Status.RUNNING).count();
        if (unfinished > 0) {
            err.println("scalinglab: error: " + unfinished + " run(s) unfinished" + (held > 0 ? ", " + held
                    + " held by another process" : "") + " (hint: run the sweep again when it is done; it resumes them)");
            return held > 0 ? ExitCode.LOCKED.code() : ExitCode.INTERNAL.code();
        }
        err.flush();
        return ExitCode.OK.code();
    }

    /**
     * Where the sweep stands as one JSON object ({@code sweep --status --json}, schema
     * scalinglab.sweep-status/1): each run's id, label, status (Slurm's state while queued), progress and
     * final loss, and the counts by status. Writes nothing.
     */
    public Map<String, Object> statusJson() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("schema", "scalinglab.sweep-status/1");
        j.put("sweep", sweep.name());
        j.put("folder", folder.root().toString());
        List<RunState> states = Files.isDirectory(folder.runs()) ? RunsTable.read(folder) : List.of();
        SlurmExecutor slurm = slurm();
        Map<String, String> queued = Map.of();
        if (!states.isEmpty() && !slurm.submissions().isEmpty()) {
            try {
                queued = slurm.queued();
            } catch (ScalingLabException e) {
                j.put("slurm_error", e.getMessage());
            }
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<Map<String, Object>> runs = new ArrayList<>();
        for (RunState s : states) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", s.id());
            r.put("label", s.label());
            r.put("status", s.status().key());
            String q = queued.get(s.id());
            r.put("slurm_state", q != null && !s.finished() ? q : null);
            r.put("progress", SweepProgress.describe(s));
            r.put("final_val_loss", s.result() == null ? null : s.result().losses().finalValLoss());
            r.put("message", s.message());
            runs.add(r);
            counts.merge(s.status().key(), 1, Integer::sum);
        }
        j.put("runs", runs);
        j.put("counts", counts);
        j.put("slurm_queued", queued.size());
        j.put("runs_csv", folder.runsCsv().toString());
        return j;
    }

    /** Prints where the sweep stands, from its folders (and Slurm's queue when it was submitted there); writes nothing. */
    public int status() {
        if (!Files.isDirectory(folder.runs())) {
            out.println("sweep " + sweep.name() + ": nothing in " + folder.root() + " yet");
            return ExitCode.OK.code();
        }
        List<RunState> states = RunsTable.read(folder); // read-only: --status rewrites nothing
        SlurmExecutor slurm = slurm();
        Map<String, String> queued = Map.of();
        if (!slurm.submissions().isEmpty()) {
            try {
                queued = slurm.queued();
            } catch (ScalingLabException e) {
                out.println("(Slurm's queue cannot be read: " + e.getMessage() + ")");
            }
        }
        for (RunState s : states) {
            String q = queued.get(s.id());
            out.printf("%s  %-26s %-9s %s%n", s.id(), s.label(), q != null && !s.finished()
                    ? "slurm:" + q : s.status(), SweepProgress.describe(s));
        }
        out.println(RunsTable.summary(states) + (queued.isEmpty() ? "" : ", " + queued.size() + " in Slurm's queue")
                + "; table: " + folder.runsCsv());
        return ExitCode.OK.code();
    }

    /** Each run's weight for progress: its estimated seconds, else its FLOPs. */
    private static Map<String, Double> work(SweepPlan plan, Planner.Report report) {
        Map<String, Double> w = new LinkedHashMap<>();
        for (PlannedRun r : plan.runs()) {
            Double s = report.seconds().get(r.id());
            w.put(r.id(), s != null ? s : r.plan().flopsChinchilla());
        }
        return w;
    }

    private static double total(Map<String, Double> work) {
        return work.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private void noteStrayFolders(SweepPlan plan) {
        Set<String> ids = new HashSet<>(plan.ids());
        List<String> stray = folder.runIds().stream().filter(id -> !ids.contains(id)).toList();
        if (!stray.isEmpty()) {
            err.println("scalinglab: warning: " + stray.size() + " run folder(s) in " + folder.runs()
                    + " are not in this plan (from an earlier config?), e.g. " + stray.get(0)
                    + "; fit and report read only the runs sweep.json lists, so they are left out");
        }
    }

    /** The resolved sweep config, its runs and provenance. */
    public record SweepRecord(String name, Map<String, Object> source, JsonNode config, ShapeFamily shapeFamily,
            List<SweepRunFolder.SweepRun> runs, Map<String, Object> provenance, String writtenAt) {}

    private void writeSweepJson(SweepPlan plan) {
        Map<String, Object> src = new LinkedHashMap<>();
        if (source != null && Files.isRegularFile(source)) {
            src.put("path", source.toAbsolutePath().toString());
            src.put("sha256", Hashing.sha256(source));
        }
        Map<String, Object> prov = Provenance.collect(Device.cpu());
        prov.keySet().retainAll(Set.of("git_commit", "git_dirty", "scalinglab_version", "java", "djl", "libtorch",
                "os", "host", "cpu", "cores"));
        Json.writeAtomically(folder.sweepJson(), new SweepRecord(sweep.name(), src, Json.mapper().valueToTree(sweep),
                plan.ladder().family(), plan.runs().stream().map(SweepRunFolder.SweepRun::of).toList(), prov, Instant.now().toString()));
    }
}
