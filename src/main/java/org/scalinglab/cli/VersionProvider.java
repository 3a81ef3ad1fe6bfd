package org.scalinglab.cli;

import org.scalinglab.ToolVersion;
import picocli.CommandLine.IVersionProvider;

/** Version from the jar's manifest, or "dev" when run from classes. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {ToolVersion.label()};
    }
}
