package org.scalinglab;

/**
 * The tool's version, from the jar's manifest, or "dev" when run from classes; the one place that
 * reads it (run.json's provenance, fits.json's and report.json's {@code tool}, {@code --version}).
 */
public final class ToolVersion {
    private ToolVersion() {}

    /** The version alone: "0.1.0", or "dev". */
    public static String number() {
        String v = ToolVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** "scalinglab " and the version, as outputs record the tool that wrote them. */
    public static String label() {
        return "scalinglab " + number();
    }
}
