package org.scalinglab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.fit.Approach;
import org.scalinglab.fit.Bootstrap;
import org.scalinglab.fit.FitReport;
import org.scalinglab.fit.FitRunner;
import org.scalinglab.fit.FitSettings;
import org.scalinglab.fit.FitsJson;
import org.scalinglab.fit.FlopConvention;
import org.scalinglab.fit.IsoFlopSettings;
import org.scalinglab.fit.ParamConvention;
import org.scalinglab.fit.ReadOptions;
import org.scalinglab.fit.ReportText;
import org.scalinglab.fit.RunTable;
import org.scalinglab.fit.RunTableReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code scalinglab fit}: fits scaling laws to a results folder or a CSV of runs. */
@Command(name = "fit", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Fit scaling laws (Kaplan; Chinchilla approaches 1, 2, 3) to a sweep's results folder or a "
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

    @Option(names = "--approach", paramLabel = "<kaplan|1|2|3|all>", defaultValue = "all",
            description = "Which fit to run (default: ${DEFAULT-VALUE}).")
    String approach;

    @Option(names = "--irreducible", description = "Add an irreducible loss E to Kaplan's single-variable laws.")
    boolean irreducible;

    @Option(names = "--window", paramLabel = "<k|all>", defaultValue = "" + IsoFlopSettings.DEFAULT_WINDOW,
            description = "Approach 2: fit each budget's profile to the k sizes nearest its lowest loss, or all "
                + "(default: ${DEFAULT-VALUE}).")
    String window;

    @Option(names = "--profile", paramLabel = "<parabola|akima>", defaultValue = IsoFlopSettings.DEFAULT_CURVE,
            description = "Approach 2: least-squares parabola of loss in ln N, or Akima interpolation of ln loss "
                + "(default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--json", description = "Print the fits as one JSON object on stdout (nothing else).")
    boolean json;

    @Option(names = "--out", paramLabel = "<fits.json>", description = "Also write the fits to this file (atomically).")
    Path out;

    @Override
    public Integer call() {
        Approach a = parse(() -> Approach.parse(approach));
        FitSettings settings = input.settings(a, boot, irreducible)
                .withIsoFlop(parse(() -> IsoFlopSettings.parse(profile, window)));
        fit(input.read(), settings, out, json, spec.commandLine().getOut());
        return ExitCode.OK.code();
    }

    /**
     * Fits the table, writes the fits to {@code out} when given, and prints them (an aligned table,
     * or JSON); what {@code fit} does once its options are read, and {@code run}'s fit step.
     */
    static FitReport fit(RunTable table, FitSettings settings, Path out, boolean json, PrintWriter o) {
        FitReport report = new FitRunner(settings).run(table);
        if (out != null) {
            FitsJson.write(out, report);
        }
        if (json) {
            o.print(FitsJson.toJson(report));
        } else {
            o.print(ReportText.fit(report));
            if (out != null) {
                o.println("wrote " + out);
            }
        }
        return report;
    }

    /** Turns a parse failure of an option value into a usage error. */
    static <T> T parse(java.util.function.Supplier<T> f) {
        try {
            return f.get();
        } catch (IllegalArgumentException e) {
            throw new ScalingLabException(ExitCode.USAGE, e.getMessage(), "see 'scalinglab fit --help'");
        }
    }

    /** The input and how to read it; shared with {@code validate}. */
    static final class InputOptions {
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
                defaultValue = ParamConvention.DEFAULT_OPTION,
                description = "Which parameter count of our runs is N (default: ${DEFAULT-VALUE}).")
        String paramConvention;

        @Option(names = "--flop-convention", paramLabel = "<kaplan|chinchilla|chinchilla-a4>", defaultValue = FlopConvention.DEFAULT_OPTION,
                description = "Which FLOP count of our runs is C: Kaplan's, Chinchilla's appendix F, or appendix F "
                    + "without embeddings and logits as its Table A4 (default: ${DEFAULT-VALUE}).")
        String flopConvention;

        ReadOptions readOptions() {
            return ReadOptions.defaults()
                    .withColumns(nCol, dCol, cCol, lossCol)
                    .withBudgetCol(budgetCol)
                    .withWhere(where)
                    .withConventions(parse(() -> ParamConvention.parse(paramConvention)),
                            parse(() -> FlopConvention.parse(flopConvention)));
        }

        RunTable read() {
            return RunTableReader.read(path, readOptions());
        }

        FitSettings settings(Approach a, BootstrapOptions b, boolean irreducible) {
            if (dropHighest < 0) {
                throw new ScalingLabException(ExitCode.USAGE, "--drop-highest must be >= 0, got " + dropHighest, null);
            }
            b.check();
            ReadOptions r = readOptions();
            return FitSettings.of(a, r.paramConvention(), r.flopConvention(), dropHighest, b.bootstrap, b.seed,
                    b.ciLevel, irreducible);
        }
    }

    /** Bootstrap settings; shared with {@code validate}. */
    static final class BootstrapOptions {
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
}
