package org.scalinglab.cli;

import picocli.CommandLine.Option;

/** The {@code --irreducible} flag of fit and validate. */
final class IrreducibleOption {
    @Option(names = "--irreducible", description = "Add an irreducible loss E to Kaplan's single-variable laws.")
    boolean irreducible;
}
