package org.scalinglab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.approach.IsoFlopSettings;
import org.scalinglab.fit.law.FitSettings;
import org.scalinglab.study.Analysis;
import org.scalinglab.sweep.SweepFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scalinglab fit}: fits scaling laws to a results folder or a CSV of runs. */
@Command(name = "fit", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
    "Fit scaling laws to a sweep's results folder or a CSV of runs.",
    "Fit scaling laws (Kaplan; Chinchilla approaches 1, 2, 3) to a sweep's results folder or a "
            + "CSV of runs, with bootstrap intervals. Prints an aligned table, or one JSON object with --json."})
final class FitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Mixin
    InputOptions input;

    @Mixin
    BootstrapOptions boot;

    @Option(names = "--approach", paramLabel = "<kaplan|1|2|3|3b|all>", defaultValue = "all",
            description = "Which fit to run (default: ${DEFAULT-VALUE}).")
    String approach;

    @Mixin
    IrreducibleOption irreducible;

    @Option(names = "--window", paramLabel = "<k|all|band[<percent>]>", defaultValue = IsoFlopSettings.DEFAULT_WINDOW,
            description = "Approach 2: fit each budget's profile to the k sizes nearest its lowest loss, to all, or "
                + "to the sizes within a loss band of its minimum, in percent (band alone: "
                + "5; default: ${DEFAULT-VALUE}).")
    String window;

    @Option(names = "--profile", paramLabel = "<parabola|akima>", defaultValue = IsoFlopSettings.DEFAULT_CURVE,
            description = "Approach 2: least-squares parabola of loss in ln N, or Akima interpolation of ln loss "
                + "(default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--json", description = "Print the fits as one JSON object on stdout (nothing else).")
    boolean json;

    @Option(names = "--out", paramLabel = OutOption.FILE_OR_DIR, description = "Also write the fits, atomically, as fits.json in this folder (or to this file when the path ends in .json).")
    Path out;

    @Override
    public Integer call() {
        Approach a = parse(() -> Approach.parse(approach));
        if (window.trim().matches("[+-]?0+")) {
            // IsoFlopSettings spells 'all' as 0: a window of 0 sizes would silently mean every size
            throw new ScalingLabException(ExitCode.USAGE, "--window must be a number of sizes >= "
                    + "3, 'all' or 'band[<percent>]', got '" + window + "'",
                    "see 'scalinglab fit --help'");
        }
        FitSettings settings = input.settings(a, boot, irreducible.irreducible)
                .withIsoFlop(parse(() -> IsoFlopSettings.parse(profile, window)));
        out = OutOption.file(out, SweepFolder.FITS_JSON);
        Analysis.fit(input.read(), settings, out, json, spec.commandLine().getOut());
        return ExitCode.OK.code();
    }

    /** Turns a parse failure of an option value into a usage error. */
    static <T> T parse(java.util.function.Supplier<T> f) {
        try {
            return f.get();
        } catch (IllegalArgumentException e) {
            throw new ScalingLabException(ExitCode.USAGE, e.getMessage(), "see 'scalinglab fit --help'");
        }
    }
}
