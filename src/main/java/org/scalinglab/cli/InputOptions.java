package org.scalinglab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.input.ReadOptions;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.input.RunTableReader;
import org.scalinglab.fit.law.FitSettings;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The runs to fit and how to read them: a mixin of fit and validate. */
final class InputOptions {
    @Parameters(index = "0", paramLabel = "<results-dir|csv>",
            description = "A sweep's results folder (run folders with result.json) or a CSV of runs.")
    Path path;

    @Option(names = "--n-col", paramLabel = "<name>", defaultValue = "N", description = "CSV column of N (default: ${DEFAULT-VALUE}).")
    String nCol;

    @Option(names = "--d-col", paramLabel = "<name>", description = "CSV column of D (default: D; derived as C/(6N) when absent).")
    String dCol;

    @Option(names = "--c-col", paramLabel = "<name>", description = "CSV column of C (default: C; derived as 6ND when absent).")
    String cCol;

    @Option(names = "--loss-col", paramLabel = "<name>", defaultValue = "loss", description = "CSV column of the loss (default: ${DEFAULT-VALUE}).")
    String lossCol;

    @Option(names = "--budget-col", paramLabel = "<name>",
            description = "CSV column of the IsoFLOP budget (default: levels of C, else clusters of log C).")
    String budgetCol;

    @Option(names = "--where", paramLabel = "<column=value>",
            description = "Keep only CSV rows where the column equals the value (repeatable).")
    List<String> where = new ArrayList<>();

    @Option(names = "--drop-highest", paramLabel = "<K>", defaultValue = "0",
            description = "Drop the K highest losses first (the Chinchilla replication drops 5).")
    int dropHighest;

    @Option(names = "--param-convention", paramLabel = "<total|non-embedding|non-embedding-with-head>",
            defaultValue = ParamConvention.DEFAULT_OPTION, converter = Converters.Params.class,
            description = "Which parameter count of our runs is N (default: ${DEFAULT-VALUE}).")
    ParamConvention paramConvention;

    @Option(names = "--flop-convention", paramLabel = "<kaplan|chinchilla|chinchilla-a4>", defaultValue = FlopConvention.DEFAULT_OPTION,
            converter = Converters.Flops.class,
            description = "Which FLOP count of our runs is C: Kaplan's, Chinchilla's appendix F, or appendix F "
                + "without embeddings and logits as its Table A4 (default: ${DEFAULT-VALUE}).")
    FlopConvention flopConvention;

    ReadOptions readOptions() {
        return ReadOptions.defaults()
                .withColumns(nCol, dCol, cCol, lossCol)
                .withBudgetCol(budgetCol)
                .withWhere(where)
                .withConventions(paramConvention, flopConvention);
    }

    RunTable read() {
        return RunTableReader.read(path, readOptions());
    }

    FitSettings settings(Approach a, BootstrapOptions b, boolean irreducible) {
        if (dropHighest < 0) {
            throw new ScalingLabException(ExitCode.USAGE, "--drop-highest must be >= 0, got " + dropHighest, null);
        }
        b.check();
        return FitSettings.of(a, paramConvention, flopConvention, dropHighest, b.bootstrap, b.seed, b.ciLevel,
                irreducible);
    }
}
