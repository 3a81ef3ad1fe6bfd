package org.scalinglab.fit.law;

import static org.scalinglab.io.JsonRules.*;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.approach.EnvelopeResult;
import org.scalinglab.fit.approach.IsoFlopResult;
import org.scalinglab.fit.approach.KaplanResult;
import org.scalinglab.fit.approach.ParametricResult;
import org.scalinglab.fit.input.FlopsCurve;
import org.scalinglab.fit.input.InputProvenance;
import org.scalinglab.fit.optim.Bootstrap;
import org.scalinglab.io.JsonRules.ObjectRule;

/**
 * The model of fits.json: what was fitted (inputs), how (settings), the FLOPs per token of the runs'
 * shape family (C(N, D) = D x F(N), in which every approach allocates a budget) and the largest fitted
 * C, each approach's result with its
 * intervals, bootstrap samples and optimiser diagnostics, whether each size's losses have the shape
 * those laws allow ({@link LossCurvature}), approaches that could not be fitted with the
 * reason, and the wall time each took. Approaches not asked for are absent. {@code ranking} orders the
 * laws by how well they predicted the sweep's own larger budgets ({@link Ranking}) and {@code recommended}
 * names the law to trust, null when none is identified (both absent in a fits.json from before the ranking).
 *
 * <p>{@code approach3Bounded} is approach 3 fitted inside a box with compute weights
 * ({@link org.scalinglab.fit.approach.BoundedParametricFit}), present whenever approach 3 was fitted on
 * runs, and ranked beside the other laws.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"schema", "created_at", "tool", "inputs", "settings", "flops_per_token", "max_fitted_flops",
    "recommended", "ranking", "approach3", "approach3_bounded", "approach2", "approach1", "kaplan", "loss_curvature",
    "not_fitted", "seconds"})
public record FitReport(
        String schema,
        String createdAt,
        String tool,
        InputProvenance inputs,
        FitSettings settings,
        FlopsCurve flopsPerToken,
        double maxFittedFlops,
        ParametricResult approach3,
        IsoFlopResult approach2,
        EnvelopeResult approach1,
        KaplanResult kaplan,
        LossCurvature lossCurvature,
        Map<String, String> notFitted,
        Map<String, Double> seconds,
        @JsonInclude(JsonInclude.Include.ALWAYS) String recommended,
        Ranking ranking,
        ParametricResult approach3Bounded) {

    public static final String SCHEMA = "scalinglab.fits/1";

    /** A report not (yet) ranked, without the bounded variant of approach 3. */
    public FitReport(String schema, String createdAt, String tool, InputProvenance inputs, FitSettings settings,
            FlopsCurve flopsPerToken, double maxFittedFlops, ParametricResult approach3, IsoFlopResult approach2,
            EnvelopeResult approach1, KaplanResult kaplan, LossCurvature lossCurvature, Map<String, String> notFitted,
            Map<String, Double> seconds) {
        this(schema, createdAt, tool, inputs, settings, flopsPerToken, maxFittedFlops, approach3, approach2, approach1,
                kaplan, lossCurvature, notFitted, seconds, null, null, null);
    }

    /** The same report with its laws ranked, and the recommended law that follows. */
    public FitReport withRanking(Ranking r) {
        return new FitReport(schema, createdAt, tool, inputs, settings, flopsPerToken, maxFittedFlops, approach3,
                approach2, approach1, kaplan, lossCurvature, notFitted, seconds, r.recommended(), r, approach3Bounded);
    }

    /** The same report with another loss-curvature verdict. */
    public FitReport withLossCurvature(LossCurvature c) {
        return new FitReport(schema, createdAt, tool, inputs, settings, flopsPerToken, maxFittedFlops, approach3,
                approach2, approach1, kaplan, c, notFitted, seconds, recommended, ranking, approach3Bounded);
    }

    /** The FLOPs curve every allocation uses; C = 6ND for a fits.json written before it was recorded. */
    public FlopsCurve curve() {
        return flopsPerToken != null ? flopsPerToken
                : FlopsCurve.sixN(settings == null ? "" : settings.paramConvention(),
                        settings == null ? "" : settings.flopConvention());
    }

    /** The level of every bootstrap interval drawn from this fit: its settings', else the default. */
    public double ciLevel() {
        return settings == null ? Bootstrap.DEFAULT_LEVEL : settings.ciLevel();
    }

    /** The fits.json versions this build reads. */
    public static final Set<String> SUPPORTED = Set.of(SCHEMA);

    /**
     * What a fits.json must hold before predict and report trust it, checked on the JSON tree (so a missing
     * key is not silently 0): the schema version, and for each approach present the fields they read,
     * finite and in the physical range, each approach's rule beside its record. Non-finite numbers are
     * written as null, so only fields that may legitimately be NaN (an edge budget's minimum, a Kaplan law
     * not fitted) accept null.
     */
    public static final ObjectRule RULES = object()
            .require("schema", (v, path) -> {
                if (!v.isTextual() || !SUPPORTED.contains(v.asText())) {
                    throw bad(path, "is " + (v.isTextual() ? "'" + v.asText() + "'" : v.toString())
                            + "; this scalinglab reads " + String.join(", ", SUPPORTED));
                }
            })
            .optional("settings", FitSettings.RULES)
            .optional("flops_per_token", FlopsCurve.RULES)
            .optional("max_fitted_flops", number(d -> d >= 0, "must be >= 0"))
            .optional("recommended", text())
            .optional("ranking", Ranking.RULES)
            .optional(Approach.PARAMETRIC.key(), ParametricResult.RULES)
            .optional(Approach.PARAMETRIC_BOUNDED.key(), ParametricResult.BOUNDED_RULES)
            .optional(Approach.ISOFLOP.key(), IsoFlopResult.RULES)
            .optional(Approach.ENVELOPE.key(), EnvelopeResult.RULES)
            .optional(Approach.KAPLAN.key(), KaplanResult.RULES)
            .optional("not_fitted", mapOf(text()))
            .optional("seconds", mapOf(numberOrNull()))
            .and((v, path) -> {
                List<String> approaches = Approach.SECTIONS.stream().map(Approach::key).toList();
                if (approaches.stream().noneMatch(v::hasNonNull)) {
                    throw bad("", "holds no fitted approach (none of " + String.join(", ", approaches) + ")");
                }
                // predict, forecast and the check stage lead with this law: it must be the first ranked and fitted
                JsonNode rec = v.path("recommended");
                if (rec.isTextual()) {
                    JsonNode first = v.path("ranking").path("laws").path(0);
                    if (!rec.asText().equals(first.path("law").asText()) || first.path("rank").asInt() != 1
                            || !first.path("identified").asBoolean()) {
                        throw bad("recommended", "is '" + rec.asText() + "', which is not the identified law the "
                                + "ranking puts first");
                    }
                    if (!v.hasNonNull(rec.asText())) {
                        throw bad("recommended", "is '" + rec.asText() + "', which the file does not hold");
                    }
                }
            });
}
