package org.scalinglab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.study.Analysis;
import org.scalinglab.sweep.SweepFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scalinglab phenomena}: metrics and emergence, broken power laws and the critical batch of a sweep. */
@Command(name = "phenomena", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class, description = {
    "Measure metric scaling, broken power laws and the critical batch size.",
    "Measure on a results folder what the scaling literature argues about: (1) each validation metric (accuracy, "
        + "Brier score, exact match and edit distance of 1-16 token greedy continuations) on the compute frontier and "
        + "as a sigmoid of the loss, checked on the held-out top budget; (2) a smoothly broken power law against the "
        + "plain one on the loss frontier and on loss against N per budget, by rolling-origin held-out error; "
        + "(3) the critical batch size B_crit(L) from the gradient noise scale (runs with train.grad_accum >= 2). "
        + "Prints tables, or one JSON object with --json."})
final class PhenomenaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Parameters(index = "0", paramLabel = "<results-dir>", description = "A sweep's results folder or any folder of run folders.")
    Path dir;

    @Mixin
    BootstrapOptions boot;

    @Option(names = "--param-convention", paramLabel = "<total|non-embedding|non-embedding-with-head>",
            defaultValue = ParamConvention.DEFAULT_OPTION, converter = Converters.Params.class,
            description = "Which parameter count is N (default: ${DEFAULT-VALUE}).")
    ParamConvention paramConvention;

    @Option(names = "--flop-convention", paramLabel = "<kaplan|chinchilla|chinchilla-a4>",
            defaultValue = FlopConvention.DEFAULT_OPTION, converter = Converters.Flops.class,
            description = "Which FLOP count is C (default: ${DEFAULT-VALUE}).")
    FlopConvention flopConvention;

    @Option(names = "--validation", paramLabel = "<validation.json>",
            description = "Approach 3's held-out forecasts of the top budget, turned into metric forecasts (default: "
                + "<results-dir>/validation.json when there is one).")
    Path validation;

    @Option(names = "--json", description = "Print the measurements as one JSON object on stdout (nothing else).")
    boolean json;

    @Option(names = "--out", paramLabel = OutOption.FILE_OR_DIR, description = "Also write them, atomically, as phenomena.json in this folder (or to this file when the path ends in .json).")
    Path out;

    @Override
    public Integer call() {
        boot.check();
        ParamConvention p = paramConvention;
        FlopConvention f = flopConvention;
        if (!Files.isDirectory(dir)) {
            throw ScalingLabException.data("no such folder: " + dir, "give a sweep's results folder");
        }
        out = OutOption.file(out, SweepFolder.PHENOMENA_JSON);
        Path v = validation != null ? validation : new SweepFolder(dir).validationJson();
        Analysis.phenomena(dir, p, f, boot.bootstrap, boot.seed, boot.ciLevel,
                validation != null || Files.isRegularFile(v) ? v : null, out, json, spec.commandLine().getOut());
        return ExitCode.OK.code();
    }
}
