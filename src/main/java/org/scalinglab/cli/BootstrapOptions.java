package org.scalinglab.cli;

import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.fit.law.FitSettings;
import org.scalinglab.fit.optim.Bootstrap;
import picocli.CommandLine.Option;

/** Bootstrap settings: a mixin of fit and validate. */
final class BootstrapOptions {
    @Option(names = "--bootstrap", paramLabel = "<n>", defaultValue = "" + FitSettings.DEFAULT_BOOTSTRAP,
            description = "Bootstrap refits for the intervals; 0 for none (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--seed", paramLabel = "<seed>", defaultValue = "" + Bootstrap.DEFAULT_SEED,
            description = "Seed of the bootstrap resampling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--ci-level", paramLabel = "<level>", defaultValue = "" + Bootstrap.DEFAULT_LEVEL,
            description = "Coverage of the percentile intervals (default: ${DEFAULT-VALUE}).")
    double ciLevel;

    void check() {
        if (bootstrap < 0) {
            throw new ScalingLabException(ExitCode.USAGE, "--bootstrap must be >= 0, got " + bootstrap, null);
        }
        if (!(ciLevel > 0 && ciLevel < 1)) {
            throw new ScalingLabException(ExitCode.USAGE, "--ci-level must be in (0, 1), got " + ciLevel,
                    "e.g. --ci-level 0.9");
        }
    }
}
