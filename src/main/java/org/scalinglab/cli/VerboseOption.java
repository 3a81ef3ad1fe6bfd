package org.scalinglab.cli;

import picocli.CommandLine.Option;

/** The {@code --verbose} flag every subcommand takes: stack traces with errors. */
public final class VerboseOption {
    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;
}
