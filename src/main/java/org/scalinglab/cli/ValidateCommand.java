package org.scalinglab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.scalinglab.ExitCode;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.law.FitSettings;
import org.scalinglab.fit.run.HoldoutValidation;
import org.scalinglab.study.Analysis;
import org.scalinglab.sweep.SweepFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scalinglab validate}: fit on the smaller-compute runs, predict the held-out larger ones. */
@Command(name = "validate", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
    "Check a fit by predicting held-out larger budgets.",
    "Fit on the smaller-compute runs and predict the held-out larger ones: per-run errors, "
            + "whether each measured loss falls inside its prediction interval, and rolling-origin validation "
            + "over increasing budgets."})
final class ValidateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Mixin
    InputOptions input;

    @Mixin
    BootstrapOptions boot;

    @Option(names = "--holdout", paramLabel = "<top-budget|fraction>", defaultValue = HoldoutValidation.TOP_BUDGET,
            converter = Converters.Holdout.class, description = "Hold out the largest budget, or this fraction of runs with the most compute "
                    + "(default: ${DEFAULT-VALUE}).")
    String holdout;

    @Option(names = "--approach", paramLabel = "<3|kaplan>", defaultValue = "3",
            converter = Converters.ApproachName.class,
            description = "The L(N, D) law to validate (default: ${DEFAULT-VALUE}).")
    Approach approach;

    @Mixin
    IrreducibleOption irreducible;

    @Option(names = "--json", description = "Print the validation as one JSON object on stdout.")
    boolean json;

    @Option(names = "--out", paramLabel = OutOption.FILE_OR_DIR, description = "Also write it, atomically, as validation.json in this folder (or to this file when the path ends in .json).")
    Path out;

    @Override
    public Integer call() {
        FitSettings settings = input.settings(approach, boot, irreducible.irreducible);
        out = OutOption.file(out, SweepFolder.VALIDATION_JSON);
        Analysis.validate(new HoldoutValidation(approach, holdout, settings), input.read(), out, json,
                spec.commandLine().getOut());
        return ExitCode.OK.code();
    }
}
