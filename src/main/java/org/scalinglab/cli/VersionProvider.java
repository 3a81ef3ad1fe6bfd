package org.scalinglab.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The version the build recorded in {@code org/scalinglab/build.properties} (Maven's project.version and
 * the git commit it was built from, "unknown" outside a git checkout).
 */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"scalinglab " + version() + " (commit " + commit() + ")",
            "Java " + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch")};
    }

    /** The project's version, e.g. 0.1.0-SNAPSHOT. */
    public static String version() {
        return property("version");
    }

    /** The git commit the jar was built from, or "unknown". */
    public static String commit() {
        return property("commit");
    }

    private static String property(String key) {
        Properties p = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("/org/scalinglab/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        String v = p.getProperty(key, "unknown");
        return v.isBlank() || v.startsWith("${") ? "unknown" : v;
    }
}
