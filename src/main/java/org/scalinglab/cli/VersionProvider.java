package org.scalinglab.cli;

import org.scalinglab.ToolVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code --version}: the build's version and commit ({@link ToolVersion}), and the Java runtime. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {ToolVersion.label() + " (commit " + ToolVersion.commit() + ")",
            "Java " + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch")};
    }
}
