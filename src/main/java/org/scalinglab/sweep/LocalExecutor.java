package org.scalinglab.sweep;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.io.JvmLauncher;
import org.scalinglab.sweep.DeviceSlots.Slot;
import org.scalinglab.sweep.RunsTable.RunState;
import org.scalinglab.train.MemoryEstimate;

/**
 * Runs a sweep's unfinished runs on this machine, one worker process per slot at a time
 * ({@code scalinglab sweep-worker <run folder>}, its output appended to the run's train.log), longest
 * first. A WSD branch waits until its trunk has kept the checkpoint it starts from. A worker that
 * crashes is recorded as failed (failure.json, with the log's last line) and the sweep goes on; a
 * diverged run is a result like any other. After every run runs.csv is rebuilt from the folders.
 *
 * <p>Workers die with the sweep: a shutdown hook (Ctrl-C, SIGTERM) destroys their process trees, and
 * a worker whose parent vanishes (kill -9) sees its stdin close and exits, so a restarted sweep never
 * races an orphan. A restart resumes each unfinished run from its last checkpoint.
 *
 * <p>When the sweep itself cannot go on (it cannot write runs.csv or a failure.json: a full disk,
 * say), the slot that hit it stops every slot and worker, and {@link #run} throws that one error
 * once all slots have ended; the next sweep resumes from the checkpoints.
 */
public final class LocalExecutor {
    private final SweepFolder folder;
    private final List<Slot> slots;
    private final JvmLauncher launcher;
    private final SweepProgress progress;
    private final Set<Process> live = ConcurrentHashMap.newKeySet();
    private final AtomicReference<RuntimeException> error = new AtomicReference<>();
    private volatile boolean stopping;

    public LocalExecutor(SweepFolder folder, List<Slot> slots, JvmLauncher launcher, SweepProgress progress) {
        this.folder = folder;
        this.slots = slots;
        this.launcher = launcher;
        this.progress = progress;
    }

    /** Trains {@code todo} (in order of decreasing {@code work}); returns each run's worker exit code. */
    public Map<String, Integer> run(List<PlannedRun> todo, Map<String, Double> work) {
        Queue queue = new Queue(todo, work);
        Map<String, Integer> codes = new ConcurrentHashMap<>();
        Thread hook = new Thread(this::stopWorkers, "sweep-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        List<Thread> threads = new ArrayList<>();
        try {
            for (Slot slot : slots) {
                Thread t = new Thread(() -> {
                    try {
                        for (PlannedRun r = queue.take(); r != null && !stopping; r = queue.take()) {
                            int code = launch(r, slot);
                            codes.put(r.id(), code);
                            queue.done(r);
                            if (!stopping) {
                                progress.finished(stateAfter(r));
                            }
                        }
                    } catch (RuntimeException e) {
                        // this sweep cannot go on (no space, say): stop every slot, report it once
                        error.compareAndSet(null, e);
                        stopWorkers();
                        queue.wake();
                    }
                }, "sweep-slot-" + slot.index());
                threads.add(t);
                t.start();
            }
            double finishedWork = work.values().stream().mapToDouble(Double::doubleValue).sum()
                    - todo.stream().mapToDouble(r -> work.get(r.id())).sum();
            for (Thread t : threads) {
                while (t.isAlive()) {
                    t.join(1000);
                    progress.update(finishedWork + queue.workDone());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopWorkers();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down: the hook runs
            }
        }
        RuntimeException e = error.get();
        if (e instanceof ScalingLabException sle) {
            throw new ScalingLabException(sle.exitCode(), "sweep stopped: " + sle.getMessage(),
                    (sle.hint() == null ? "" : sle.hint() + "; ")
                            + "running the sweep again resumes the unfinished runs from their checkpoints", sle);
        } else if (e != null) {
            throw e;
        }
        queue.blocked().forEach(r -> progress.finished(stateAfter(r)));
        return new LinkedHashMap<>(codes);
    }

    private RunState stateAfter(PlannedRun r) {
        RunsTable.write(folder);
        return RunsTable.read(folder, List.of(r.id())).get(0);
    }

    /** Runs one worker to its end; returns its exit code. */
    private int launch(PlannedRun r, Slot slot) {
        SweepRunFolder f = new SweepRunFolder(folder.run(r.id()));
        ProcessBuilder pb = new ProcessBuilder(workerLauncher(launcher, r).command(
                workerArgs(f.dir(), slot.device(), slot.threads(), true)));
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(f.log().toFile()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw ScalingLabException.output("cannot start a worker process: " + e.getMessage(),
                    "check that " + launcher.java() + " runs", e);
        }
        live.add(p);
        OutputStream stdin = p.getOutputStream(); // held open: the worker exits when it closes
        int code;
        try {
            code = p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            destroy(p);
            code = 130;
        } finally {
            live.remove(p);
            try {
                stdin.close();
            } catch (IOException ignored) {
                // the worker has ended
            }
        }
        boolean result = code == ExitCode.OK.code() || code == ExitCode.DIVERGED.code();
        if (!result && code != ExitCode.LOCKED.code() && !stopping && f.failure() == null) {
            String last = f.lastLogLine();
            f.writeFailure(code, "worker exited with code " + code + (code > 128 ? " (signal " + (code - 128) + ")"
                    : "") + (last.isEmpty() ? "" : ": " + last));
        }
        return code;
    }

    private void stopWorkers() {
        stopping = true;
        live.forEach(LocalExecutor::destroy);
    }

    private static void destroy(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /**
     * The runs not yet started, longest first. A branch is ready when its trunk's kept checkpoint
     * exists, or it has a checkpoint of its own; it is blocked when its trunk is no longer pending or
     * running and the checkpoint never came.
     */
    private final class Queue {
        private final List<PlannedRun> waiting;
        private final Map<String, Double> work;
        private final List<PlannedRun> blocked = new ArrayList<>();
        private final Map<String, PlannedRun> running = new ConcurrentHashMap<>();
        private double doneWork;

        Queue(List<PlannedRun> todo, Map<String, Double> work) {
            this.work = work;
            this.waiting = new ArrayList<>(todo);
            waiting.sort(Comparator.comparingDouble((PlannedRun r) -> work.get(r.id())).reversed());
        }

        synchronized PlannedRun take() {
            while (!stopping) {
                PlannedRun ready = null;
                for (PlannedRun r : waiting) {
                    if (ready(r)) {
                        ready = r;
                        break;
                    }
                }
                if (ready != null) {
                    waiting.remove(ready);
                    running.put(ready.id(), ready);
                    return ready;
                }
                for (PlannedRun r : new ArrayList<>(waiting)) {
                    if (trunkEnded(r)) {
                        waiting.remove(r);
                        blocked.add(r);
                    }
                }
                if (waiting.isEmpty()) {
                    return null;
                }
                try {
                    wait(1000); // a trunk's kept checkpoint appears without a notification
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return null;
        }

        /** Lets waiting slots see that the sweep is stopping. */
        synchronized void wake() {
            notifyAll();
        }

        synchronized void done(PlannedRun r) {
            running.remove(r.id());
            doneWork += work.get(r.id());
            notifyAll();
        }

        synchronized List<PlannedRun> blocked() {
            return List.copyOf(blocked);
        }

        /** Finished runs' work plus the finished share of running ones, read from their metrics. */
        synchronized double workDone() {
            double w = doneWork;
            for (PlannedRun r : running.values()) {
                long step = new SweepRunFolder(folder.run(r.id())).lastStep();
                w += work.get(r.id()) * Math.min(1, step / (double) r.plan().steps());
            }
            return w;
        }

        private boolean ready(PlannedRun r) {
            if (r.branch() == null) {
                return true;
            }
            SweepRunFolder own = new SweepRunFolder(folder.run(r.id()));
            SweepRunFolder trunk = new SweepRunFolder(folder.run(r.branch().trunk()));
            return own.hasCheckpoint() || Files.isRegularFile(trunk.keptCheckpoint(r.branch().step()));
        }

        private boolean trunkEnded(PlannedRun r) {
            if (r.branch() == null) {
                return false;
            }
            String trunk = r.branch().trunk();
            boolean trunkWaiting = waiting.stream().anyMatch(w -> w.id().equals(trunk));
            return !trunkWaiting && !running.containsKey(trunk);
        }
    }

    /** A worker's JVM with a heap sized from its run's model, not the default quarter of the machine. */
    static JvmLauncher workerLauncher(JvmLauncher launcher, PlannedRun r) {
        return launcher.withMemory(MemoryEstimate.heapBytes(r.config(), r.plan()), MemoryEstimate.directBytes(r.plan()));
    }

    /** The worker's arguments for a run folder on a device. */
    static List<String> workerArgs(Path runDir, String device, int threads, boolean exitWithParent) {
        List<String> args = new ArrayList<>(List.of("sweep-worker", runDir.toAbsolutePath().toString(),
                "--device", device, "--threads", Integer.toString(threads)));
        if (exitWithParent) {
            args.add("--exit-with-parent");
        }
        return args;
    }}
