package org.scalinglab.sweep;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.StrictYaml;
import org.scalinglab.io.AtomicFiles;
import org.scalinglab.io.Json;
import org.scalinglab.io.JvmLauncher;
import org.scalinglab.sweep.SweepConfig.SlurmConfig;
import org.scalinglab.train.MemoryEstimate;

/**
 * Submits a sweep's unfinished runs to Slurm as a job array, one task per run folder, with the
 * partition, account, time limit, CPUs and GPUs of {@code slurm:} in the sweep config. Each task
 * runs the same worker as the local executor ({@code scalinglab sweep-worker}) in the shared results
 * folder, so a task resumes from the run's checkpoint and a finished run is never trained twice.
 * WSD branches go in a second array that starts after the trunks' array. Every submission is
 * recorded in {@code slurm/submissions.json}, so that runs still queued or running are not
 * submitted again and {@code sweep --status} can say where they are.
 */
public final class SlurmExecutor {
    private final SweepConfig sweep;
    private final SweepFolder folder;
    private final JvmLauncher launcher;
    private final Map<String, String> env;

    /** One sbatch call: its job id and the run of each array index. */
    public record Submission(String jobId, List<String> runs, String dependsOn, String submittedAt) {}

    /** @param env variables added to sbatch's and squeue's environment (SLURM_CONF, for instance) */
    public SlurmExecutor(SweepConfig sweep, SweepFolder folder, JvmLauncher launcher, Map<String, String> env) {
        this.sweep = sweep;
        this.folder = folder;
        this.launcher = launcher;
        this.env = Map.copyOf(env);
    }

    /** Submits {@code todo}: plain runs and WSD trunks in one array, branches in a second after it. */
    public List<Submission> submit(List<PlannedRun> todo) {
        List<PlannedRun> first = todo.stream().filter(r -> r.branch() == null).toList();
        List<PlannedRun> branches = todo.stream().filter(r -> r.branch() != null).toList();
        List<Submission> made = new ArrayList<>();
        String firstJob = null;
        if (!first.isEmpty()) {
            Submission s = submitArray(first, null);
            made.add(s);
            firstJob = s.jobId();
        }
        if (!branches.isEmpty()) {
            Set<String> trunksNow = new HashSet<>();
            first.forEach(r -> trunksNow.add(r.id()));
            boolean waits = branches.stream().anyMatch(b -> trunksNow.contains(b.branch().trunk()));
            made.add(submitArray(branches, waits ? firstJob : null));
        }
        return made;
    }

    private Submission submitArray(List<PlannedRun> runs, String after) {
        AtomicFiles.ensureWritableDirectory(folder.slurm(), Sweeper.RESULTS_DIR_HINT);
        String stamp = (submissions().size() + 1) + "-" + System.currentTimeMillis();
        Path tasks = folder.slurm().resolve("tasks-" + stamp + ".txt");
        Path script = folder.slurm().resolve("array-" + stamp + ".sbatch");
        StringBuilder lines = new StringBuilder();
        runs.forEach(r -> lines.append(folder.run(r.id()).toAbsolutePath()).append('\n'));
        AtomicFiles.writeString(tasks, lines.toString());
        // one heap for the array's tasks: the largest its runs need
        JvmLauncher sized = launcher.withMemory(
                runs.stream().mapToLong(r -> MemoryEstimate.heapBytes(r.config(), r.plan())).max().orElse(0),
                runs.stream().mapToLong(r -> MemoryEstimate.directBytes(r.plan())).max().orElse(0));
        AtomicFiles.writeString(script, script(sweep.name(), sweep.slurm(), runs.size(), tasks.toAbsolutePath(),
                folder.slurm().toAbsolutePath(), sized));
        List<String> cmd = new ArrayList<>(List.of("sbatch", "--parsable"));
        if (after != null) {
            cmd.add("--dependency=afterany:" + after);
        }
        cmd.add(script.toAbsolutePath().toString());
        String out = call(cmd).strip();
        String jobId = out.split(";")[0].strip();
        if (!jobId.matches("\\d+")) {
            throw new ScalingLabException(ExitCode.ENGINE, "sbatch answered '" + out + "' instead of a job id", null);
        }
        Submission s = new Submission(jobId, runs.stream().map(PlannedRun::id).toList(), after, Instant.now().toString());
        List<Submission> all = new ArrayList<>(submissions());
        all.add(s);
        Json.writeAtomically(submissionsFile(), all);
        return s;
    }

    /**
     * The sbatch script of an array whose task i trains the run folder on line i + 1 of {@code tasks}.
     * Every value from the config is checked again here and quoted, for sbatch on the #SBATCH lines and
     * for bash on the rest: a newline in a directive would end bash's comment and run the next line.
     */
    static String script(String name, SlurmConfig s, int tasks, Path tasksFile, Path logDir, JvmLauncher launcher) {
        StringBuilder sb = new StringBuilder("#!/bin/bash\n");
        directive(sb, "--job-name=scalinglab-" + name);
        directive(sb, "--array=0-" + (tasks - 1) + (s.maxParallel() > 0 ? "%" + s.maxParallel() : ""));
        directive(sb, "--output=" + logDir.resolve("%A_%a.out"));
        directive(sb, "--cpus-per-task=" + s.cpusPerTask());
        if (s.gpusPerTask() > 0) {
            directive(sb, "--gpus-per-task=" + s.gpusPerTask());
        }
        directive(sb, "--time=" + s.timeLimit());
        if (s.partition() != null) {
            directive(sb, "--partition=" + s.partition());
        }
        if (s.account() != null) {
            directive(sb, "--account=" + s.account());
        }
        if (s.mem() != null) {
            directive(sb, "--mem=" + s.mem());
        }
        s.extra().forEach(x -> directive(sb, x));
        oneLine(tasksFile.toString(), "the tasks file's path");
        sb.append("# Written by 'scalinglab sweep --executor slurm': task i trains the run folder on line i+1 of\n");
        sb.append("# ").append(tasksFile).append(", resuming from its checkpoint; its output goes to its train.log.\n");
        sb.append("set -u\n");
        sb.append("run_dir=\"$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" ").append(quote(tasksFile.toString()))
                .append(")\"\n");
        String device = s.gpusPerTask() > 0 ? "gpu:0" : "cpu"; // Slurm's CUDA_VISIBLE_DEVICES makes ours gpu:0
        List<String> cmd = launcher.command(List.of("sweep-worker"));
        StringBuilder line = new StringBuilder();
        for (String c : cmd) {
            oneLine(c, "the worker command");
            line.append(line.length() == 0 ? "" : " ").append(quote(c));
        }
        line.append(" \"$run_dir\" --device ").append(device).append(" --threads \"${SLURM_CPUS_PER_TASK:-")
                .append(s.cpusPerTask()).append("}\" --update-table >> \"$run_dir/train.log\" 2>&1\n");
        sb.append(line);
        sb.append("code=$?\n");
        sb.append("case $code in\n");
        sb.append("  0|7|8) ;;\n");
        sb.append("  *) [ -f \"$run_dir/failure.json\" ] || printf '{\"exit_code\": %d, \"message\": \"worker exited "
                + "with code %d (killed, out of memory or out of time?)\", \"at\": \"%s\"}\\n' \"$code\" \"$code\" "
                + "\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\" > \"$run_dir/failure.json\" ;;\n");
        sb.append("esac\n");
        sb.append("exit $code\n");
        return sb.toString();
    }

    /** One #SBATCH line, its argument quoted as sbatch reads it: in "..." with \\, " and # escaped. */
    private static void directive(StringBuilder sb, String option) {
        oneLine(option, "an #SBATCH option");
        String arg = option.matches("[A-Za-z0-9_./:=@%+,-]+") ? option
                : '"' + option.replace("\\", "\\\\").replace("\"", "\\\"").replace("#", "\\#") + '"';
        sb.append("#SBATCH ").append(arg).append('\n');
    }

    private static void oneLine(String value, String what) {
        if (StrictYaml.hasControlCharacter(value)) {
            throw ScalingLabException.config(what + " in the sbatch script contains a control character (a newline, "
                    + "say)", "check the slurm: section and results_dir of the sweep config");
        }
    }

    /** A word for bash: as it is when only safe characters, else in single quotes. */
    static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:=@%+,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }

    public List<Submission> submissions() {
        if (!Files.isRegularFile(submissionsFile())) {
            return List.of();
        }
        try {
            return Json.mapper().readValue(submissionsFile().toFile(), new TypeReference<List<Submission>>() {});
        } catch (IOException e) {
            throw ScalingLabException.data("cannot read " + submissionsFile() + ": " + e.getMessage(),
                    "delete it if no job of this sweep is queued");
        }
    }

    private Path submissionsFile() {
        return folder.slurm().resolve("submissions.json");
    }

    /** The runs of this sweep's submissions that Slurm still has queued or running, with their state. */
    public Map<String, String> queued() {
        List<Submission> subs = submissions();
        if (subs.isEmpty()) {
            return Map.of();
        }
        Map<String, Submission> byJob = new HashMap<>();
        subs.forEach(s -> byJob.put(s.jobId(), s));
        Map<String, String> out = new HashMap<>();
        for (String line : call(List.of("squeue", "-h", "-r", "-o", "%i|%t")).split("\n")) {
            String[] f = line.strip().split("\\|");
            if (f.length != 2 || !f[0].contains("_")) {
                continue;
            }
            String job = f[0].substring(0, f[0].indexOf('_'));
            Submission s = byJob.get(job);
            if (s == null) {
                continue;
            }
            try {
                int index = Integer.parseInt(f[0].substring(f[0].indexOf('_') + 1));
                if (index < s.runs().size()) {
                    out.put(s.runs().get(index), f[1]);
                }
            } catch (NumberFormatException e) {
                // an unexpanded range: not with -r
            }
        }
        return out;
    }

    private String call(List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ScalingLabException(ExitCode.ENGINE, cmd.get(0) + " did not answer within 60 s", null);
            }
            if (p.exitValue() != 0) {
                throw new ScalingLabException(ExitCode.ENGINE, cmd.get(0) + " failed (exit " + p.exitValue() + "): "
                        + out.strip().lines().reduce((a, b) -> b).orElse(""), "check the slurm: section of the "
                        + "sweep config and that the cluster answers 'sinfo'");
            }
            return out;
        } catch (IOException e) {
            throw new ScalingLabException(ExitCode.ENGINE, "cannot run " + cmd.get(0) + ": " + e.getMessage(),
                    "run on a Slurm login node, or use --executor local", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScalingLabException(ExitCode.INTERNAL, "interrupted while calling " + cmd.get(0), null, e);
        }
    }
}
