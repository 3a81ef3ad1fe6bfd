package org.scalinglab.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.output.FitsJson;
import org.scalinglab.fit.output.ReportText;
import org.scalinglab.fit.uncertainty.Prediction;
import org.scalinglab.fit.uncertainty.Predictor;
import org.scalinglab.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scalinglab predict}: compute-optimal allocation and loss from a fits.json, per approach. */
@Command(name = "predict", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
    "Predict N_opt, D_opt and the loss at a budget from a fits.json.",
    "Predict from a fits.json: at a compute budget, N_opt, D_opt, tokens per parameter and the "
            + "loss; or the loss at a given N and D. Each with its bootstrap interval, per approach. Every approach "
            + "reads C in the same convention, the fit's."})
final class PredictCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--fit", paramLabel = "<fits.json>", required = true, description = "Written by 'scalinglab fit --out'.")
    Path fit;

    @Option(names = "--compute", paramLabel = "<C>", description = "Training FLOPs to allocate, counted as the fit "
            + "counted its runs (fits.json's flop convention and FLOPs per token of the runs' shapes: C = D x F(N); "
            + "6ND only for a CSV that gives no shapes).")
    Double compute;

    @Option(names = "--params", paramLabel = "<N>", description = "Parameters (with --tokens).")
    Double params;

    @Option(names = "--tokens", paramLabel = "<D>", description = "Training tokens (with --params).")
    Double tokens;

    @Option(names = "--json", description = "Print the predictions as one JSON object on stdout.")
    boolean json;

    @Override
    public Integer call() {
        boolean bySize = params != null || tokens != null;
        if ((compute == null) == !bySize || (bySize && (params == null || tokens == null))) {
            throw new ScalingLabException(ExitCode.USAGE, "give either --compute <C> or both --params <N> and --tokens <D>",
                    "e.g. predict --fit fits.json --compute 1e21");
        }
        for (Double v : new Double[] {compute, params, tokens}) {
            // below one parameter, token or FLOP a law's power terms overflow (1e-300^-0.3 is infinite)
            if (v != null && !(v >= 1 && Double.isFinite(v))) {
                throw new ScalingLabException(ExitCode.USAGE, "--compute, --params and --tokens must be finite numbers "
                        + ">= 1, got " + v, "e.g. --params 1e9 --tokens 2e10, or --compute 1e21");
            }
        }
        FitReport report = FitsJson.read(fit);
        Predictor p = new Predictor(report);
        List<Prediction> ps = compute != null ? p.atCompute(compute) : p.atSize(params, tokens);
        if (ps.isEmpty()) {
            throw new ScalingLabException(ExitCode.FIT, fit + " holds no fit that can predict this",
                    "refit with --approach all");
        }
        double level = report.ciLevel();
        String verdict = report.ranking() == null ? "the fit predates the law ranking: refit to rank its laws"
                : report.ranking().verdict();
        if (json) {
            var lc = report.lossCurvature();
            Double from = lc == null ? null : lc.unsupportedFromN();
            List<java.util.Map<String, Object>> rows = new java.util.ArrayList<>();
            for (Prediction pr : ps) {
                @SuppressWarnings("unchecked")
                java.util.Map<String, Object> m = Json.mapper().convertValue(pr, java.util.LinkedHashMap.class);
                Double n = pr.nOpt() != null ? pr.nOpt() : pr.params();
                // the "not supported by the data" of the note, as a field: N at or past loss_curvature's bound
                m.put("supported_by_data", n == null || lc == null ? null : !lc.unsupported(n));
                rows.add(m);
            }
            spec.commandLine().getOut().print(Json.write(new Output(SCHEMA, fit.toString(), level,
                    report.recommended(), verdict, from, rows)));
        } else {
            // the recommended law leads; without one, say so before any law's numbers
            spec.commandLine().getOut().print((report.recommended() != null ? "recommended: " : "") + verdict + "\n"
                    + ReportText.predictions(ps, level));
        }
        return ExitCode.OK.code();
    }

    /**
     * The JSON document of {@code predict --json}: {@code recommended} names the fit's recommended law (null
     * when it has none, {@code verdict} says why), which also leads {@code predictions} and is marked there.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Output(String schema, String fit, double level, String recommended, String verdict,
            @com.fasterxml.jackson.annotation.JsonProperty("unsupported_from_N") Double unsupportedFromN,
            List<java.util.Map<String, Object>> predictions) {}

    static final String SCHEMA = "scalinglab.predict/1";
}
