package org.scalinglab.io;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts this program in a new JVM: this JVM's java binary, its memory and
 * system-property options (debug agents left out), extra options, the same classpath, and the CLI.
 * For work that needs a process of its own: a sweep's runs, and benchmarks (libtorch fixes the
 * float32 matmul mode per process, and runs packed on one GPU overlap only as separate processes).
 */
public record JvmLauncher(String java, List<String> jvmOptions, String classpath) {
    static final String MAIN = "org.scalinglab.cli.ScalingLab";

    /** System properties that this JVM may have set in code (surefire does) and workers need. */
    private static final List<String> PASSED_PROPERTIES = List.of("ai.djl.offline",
            "org.slf4j.simpleLogger.defaultLogLevel", "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils",
            "scalinglab.verbose", "jna.library.path");

    public static JvmLauncher current(List<String> extraOptions) {
        List<String> opts = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-Xm") || a.startsWith("-Xss") || a.startsWith("-XX:") && !a.contains("Flight")
                    || a.startsWith("-D") && !a.startsWith("-Djdk.internal")) {
                opts.add(a);
            }
        }
        for (String p : PASSED_PROPERTIES) {
            String v = System.getProperty(p);
            if (v != null && opts.stream().noneMatch(o -> o.startsWith("-D" + p + "="))) {
                opts.add("-D" + p + "=" + v);
            }
        }
        opts.addAll(extraOptions);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new JvmLauncher(java, List.copyOf(opts), System.getProperty("java.class.path"));
    }

    /**
     * This launcher with an explicit heap and direct-memory limit (a worker sized from its model,
     * rather than the JVM's default of a quarter of the machine each), in place of the limits this
     * JVM passed on; limits in the extra options (executor.jvm_options) come later and still win.
     */
    public JvmLauncher withMemory(long heapBytes, long directBytes) {
        List<String> inherited = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> opts = new ArrayList<>();
        opts.add("-Xmx" + mib(heapBytes) + "m");
        opts.add("-XX:MaxDirectMemorySize=" + mib(directBytes) + "m");
        for (String o : jvmOptions) {
            boolean limit = o.startsWith("-Xmx") || o.startsWith("-XX:MaxDirectMemorySize=");
            if (!(limit && inherited.contains(o))) {
                opts.add(o);
            }
        }
        return new JvmLauncher(java, List.copyOf(opts), classpath);
    }

    private static long mib(long bytes) {
        return Math.max(1, (bytes + (1 << 20) - 1) >> 20);
    }

    /** {@code java <options> -cp <classpath> org.scalinglab.cli.ScalingLab <args>}. */
    public List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(MAIN);
        cmd.addAll(args);
        return cmd;
    }
}
