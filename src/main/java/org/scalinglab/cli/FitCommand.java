package org.scalinglab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.scalinglab.ExitCode;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.approach.IsoFlopSettings;
import org.scalinglab.fit.law.FitSettings;
import org.scalinglab.study.Analysis;
import org.scalinglab.sweep.SweepFolder;
import picocli.CommandLine.ArgGroup;
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
            converter = Converters.ApproachName.class, description = "Which fit to run (default: ${DEFAULT-VALUE}).")
    Approach approach;

    @Mixin
    IrreducibleOption irreducible;

    /** How approach 2 draws each budget's profile: the two halves of one IsoFlopSettings. */
    static final class Approach2Options {
        @Option(names = "--window", paramLabel = "<k|all|band[<percent>]>", defaultValue = IsoFlopSettings.DEFAULT_WINDOW,
                converter = Converters.Window.class,
                description = "Fit each budget's profile to the k sizes nearest its lowest loss, to all, or to the "
                    + "sizes within a loss band of its minimum, in percent (band alone: 5; default: ${DEFAULT-VALUE}).")
        IsoFlopSettings window = IsoFlopSettings.defaults();

        @Option(names = "--profile", paramLabel = "<parabola|akima>", defaultValue = IsoFlopSettings.DEFAULT_CURVE,
                converter = Converters.Profile.class,
                description = "Least-squares parabola of loss in ln N, or Akima interpolation of ln loss "
                    + "(default: ${DEFAULT-VALUE}).")
        IsoFlopSettings.Curve profile = IsoFlopSettings.defaults().curve();

        IsoFlopSettings settings() {
            return new IsoFlopSettings(profile, window.window(), window.band());
        }
    }

    @ArgGroup(exclusive = false, multiplicity = "0..1", heading = "%nApproach 2's IsoFLOP profiles:%n")
    Approach2Options approach2 = new Approach2Options();

    @Option(names = "--json", description = "Print the fits as one JSON object on stdout (nothing else).")
    boolean json;

    @Option(names = "--out", paramLabel = OutOption.FILE_OR_DIR, description = "Also write the fits, atomically, as fits.json in this folder (or to this file when the path ends in .json).")
    Path out;

    @Override
    public Integer call() {
        FitSettings settings = input.settings(approach, boot, irreducible.irreducible)
                .withIsoFlop(approach2.settings());
        out = OutOption.file(out, SweepFolder.FITS_JSON);
        Analysis.fit(input.read(), settings, out, json, spec.commandLine().getOut());
        return ExitCode.OK.code();
    }
}
