package org.scalinglab.sweep;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scalinglab.io.JvmLauncher;
import org.scalinglab.sweep.SweepConfig.SlurmConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


/** The sbatch script: the slurm: section as #SBATCH lines, one task per run folder, GPU tasks on gpu:0. */
class SlurmScriptTest {
    static final JvmLauncher LAUNCHER = new JvmLauncher("/opt/java/bin/java", List.of("-Xmx8g"),
            "/home/u/scalinglab/target/scalinglab.jar:/home/u/it's/lib.jar");

    @Test
    void gpuTasksWithEverySetting() {
        SlurmConfig s = new SlurmConfig("gpu", "proj-1", "02:00:00", 1, 8, "32G", 4, 10, List.of("--qos=short"));
        String script = SlurmExecutor.script("mini", s, 25, Path.of("/r/mini/slurm/tasks-1.txt"),
                Path.of("/r/mini/slurm"), LAUNCHER);
        for (String line : List.of("#SBATCH --job-name=scalinglab-mini", "#SBATCH --array=0-24%4",
                "#SBATCH --output=/r/mini/slurm/%A_%a.out", "#SBATCH --cpus-per-task=8", "#SBATCH --gpus-per-task=1",
                "#SBATCH --time=02:00:00", "#SBATCH --partition=gpu", "#SBATCH --account=proj-1", "#SBATCH --mem=32G",
                "#SBATCH --qos=short")) {
            assertTrue(script.contains(line + "\n"), line + " in\n" + script);
        }
        assertTrue(script.contains("sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" /r/mini/slurm/tasks-1.txt"), script);
        assertTrue(script.contains("/opt/java/bin/java -Xmx8g -cp '/home/u/scalinglab/target/scalinglab.jar:/home/u/"
                + "it'\\''s/lib.jar' org.scalinglab.cli.ScalingLab sweep-worker \"$run_dir\" --device gpu:0 --threads "
                + "\"${SLURM_CPUS_PER_TASK:-8}\" --update-table >> \"$run_dir/train.log\" 2>&1"), script);
        assertTrue(script.contains("  0|7|8) ;;"), "completed, diverged and locked are not failures");
    }

    @Test
    void cpuTasksLeaveUnsetOptionsOut() {
        SlurmConfig s = new SlurmConfig(null, null, "30", 0, 2, null, 0, 10, List.of());
        String script = SlurmExecutor.script("q", s, 2, Path.of("/t"), Path.of("/l"), LAUNCHER);
        assertTrue(script.contains("#SBATCH --array=0-1\n"), script);
        assertTrue(script.contains("--device cpu --threads \"${SLURM_CPUS_PER_TASK:-2}\""), script);
        for (String absent : List.of("--gpus-per-task", "--partition", "--account", "--mem")) {
            assertFalse(script.contains(absent), absent);
        }
        assertEquals("'a b'", SlurmExecutor.quote("a b"));
        assertEquals("/plain/path-1.jar:x", SlurmExecutor.quote("/plain/path-1.jar:x"));
    }
}
