package org.scalinglab.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts this same program in a new JVM (same Java, classpath and
 * scalinglab-relevant system properties), for work that needs a process of its own: a precision
 * mode is fixed per process, and runs packed on one GPU overlap only as separate processes.
 */
public final class SelfLauncher {
    private SelfLauncher() {}

    public static List<String> command(String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(java);
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("ai.djl.") || key.startsWith("org.slf4j.") || key.startsWith("scalinglab.")
                    || key.startsWith("jna.")) {
                cmd.add("-D" + key + "=" + System.getProperty(key));
            }
        }
        Runtime rt = Runtime.getRuntime();
        cmd.add("-Xmx" + Math.max(1, rt.maxMemory() / (1024 * 1024)) + "m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }
}
