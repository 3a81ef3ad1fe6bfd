package org.scalinglab.fit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * The model of fits.json: what was fitted (inputs), how (settings), each approach's result with its
 * intervals, bootstrap samples and optimiser diagnostics, approaches that could not be fitted with the
 * reason, and the wall time each took. Approaches not asked for are absent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schema", "created_at", "tool", "inputs", "settings", "approach3", "approach2", "approach1",
    "kaplan", "not_fitted", "seconds"})
public record FitReport(
        String schema,
        String createdAt,
        String tool,
        InputProvenance inputs,
        FitSettings settings,
        ParametricResult approach3,
        IsoFlopResult approach2,
        EnvelopeResult approach1,
        KaplanResult kaplan,
        Map<String, String> notFitted,
        Map<String, Double> seconds) {

    public static final String SCHEMA = "scalinglab.fits/1";

    static String toolVersion() {
        String v = FitReport.class.getPackage().getImplementationVersion();
        return "scalinglab " + (v == null ? "dev" : v);
    }
}
