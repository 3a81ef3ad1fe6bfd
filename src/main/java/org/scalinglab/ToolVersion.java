package org.scalinglab;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The tool's version and the git commit it was built from, as the build recorded them in
 * {@code org/scalinglab/build.properties} (Maven's project.version; the commit is "unknown" outside a git
 * checkout), else the jar manifest's version, else "dev"; the one place that reads them (run.json's
 * provenance, fits.json's and report.json's {@code tool}, {@code --version}).
 */
public final class ToolVersion {
    private static final Properties BUILD = load();

    private ToolVersion() {}

    /** The version alone: "0.1.0-SNAPSHOT", or "dev". */
    public static String number() {
        String v = property("version");
        if (v != null) {
            return v;
        }
        v = ToolVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The git commit the build was made from, or "unknown". */
    public static String commit() {
        String c = property("commit");
        return c == null ? "unknown" : c;
    }

    /** "scalinglab " and the version, as outputs record the tool that wrote them. */
    public static String label() {
        return "scalinglab " + number();
    }

    private static String property(String key) {
        String v = BUILD.getProperty(key);
        return v == null || v.isBlank() || v.startsWith("${") || v.equals("unknown") ? null : v;
    }

    private static Properties load() {
        Properties p = new Properties();
        try (InputStream in = ToolVersion.class.getResourceAsStream("/org/scalinglab/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // no recorded build: the manifest or "dev"
        }
        return p;
    }
}
