package org.scalinglab.cli;

import picocli.CommandLine.IVersionProvider;

/** Version from the jar's manifest, or "dev" when run from classes. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = ScalingLab.class.getPackage().getImplementationVersion();
        return new String[] {"scalinglab " + (v == null ? "dev" : v)};
    }
}
