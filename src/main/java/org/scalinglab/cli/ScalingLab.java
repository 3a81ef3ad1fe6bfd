package org.scalinglab.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code scalinglab} command: parses, dispatches to a subcommand, maps errors to exit codes. */
@Command(
        name = "scalinglab",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {"Train sweeps of GPT models with DJL, fit scaling laws to them, and extrapolate.",
            "Shell completion: source <(scalinglab generate-completion) in bash or zsh."},
        subcommands = {
            TrainCommand.class,
            PlanCommand.class,
            SweepCommand.class,
            SweepCommand.Worker.class,
            RunCommand.class,
            FitCommand.class,
            PredictCommand.class,
            ForecastCommand.class,
            ValidateCommand.class,
            PhenomenaCommand.class,
            ReportCommand.class,
            BenchCommand.class,
            DoctorCommand.class,
            CommandLine.HelpCommand.class,
            AutoComplete.GenerateCompletion.class
        },
        exitCodeListHeading = "%nExit codes:%n")
public final class ScalingLab implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the CLI with the given streams; what tests call. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new ScalingLab());
        cl.getCommandSpec().usageMessage().exitCodeList(ExitCode.helpList(Map.of()));
        ReportCommand.exitCodes(cl.getSubcommands().get("report").getCommandSpec());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler(ScalingLab::handleError);
        cl.setParameterExceptionHandler(ScalingLab::handleUsageError);
        cl.setExitCodeExceptionMapper(t -> t instanceof ScalingLabException e ? e.exitCode().code()
                : ExitCode.INTERNAL.code());
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static int handleError(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean verbose = parsed.hasMatchedOption("--verbose")
                || parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"))
                || Boolean.getBoolean("scalinglab.verbose");
        return printError(e, err, verbose);
    }

    /**
     * Prints an error as every command does (one line with its hint, the stack trace with
     * --verbose) and returns its exit code; {@code run} prints its steps' errors so too.
     */
    static int printError(Exception e, PrintWriter err, boolean verbose) {
        return ScalingLabException.print(e, err, verbose, "");
    }

    private static int handleUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        String sub = qualifiedName(cl);
        cl.getErr().println("scalinglab: error: " + e.getMessage() + suggestion(e)
                + " (hint: see 'scalinglab" + (sub.isEmpty() ? "" : " " + sub) + " --help')");
        return ExitCode.USAGE.code();
    }

    /** Picocli's "did you mean" for a mistyped subcommand or option, or "". */
    static String suggestion(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> s = u.getSuggestions();
            if (!s.isEmpty()) {
                return "; did you mean " + String.join(" or ", s.subList(0, Math.min(3, s.size()))) + "?";
            }
        }
        return "";
    }

    private static String qualifiedName(CommandLine cl) {
        String name = cl.getCommandSpec().qualifiedName(" ");
        return name.startsWith("scalinglab ") ? name.substring("scalinglab ".length()) : "";
    }
}
