package org.scalinglab.forecast;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.fit.input.FlopsCurve;
import org.scalinglab.io.Json;
import org.scalinglab.model.Flops;
import org.scalinglab.model.GptShape;
import org.scalinglab.model.ParameterCounts;
import org.scalinglab.model.ShapeFamily;
import org.scalinglab.text.Numbers;

/**
 * The shapes a forecast suggests: d_model = widthPerLayer x depth (rounded to whole heads of about
 * headDim), continued to any size. From a sweep's ladder rule, from the aspect ratio and head width of an
 * explicit ladder's largest shape, or a standard aspect ratio (d_model = 128 x layers, heads of 128, MLP 4x:
 * GPT-3's 175B and Llama's 8B have it, vocabulary 32,000 and context 2,048 as Chinchilla's). The shapes are
 * this project's GPT (learned positions, tied head), N counted in the law's convention.
 */
public record ShapeRule(double widthPerLayer, double headDim, int mlpRatio, int vocab, int context,
        ParamConvention convention, String source) {
    public static final int STANDARD_CONTEXT = 2048;
    public static final int STANDARD_VOCAB = 32_000;
    /** Shapes stop where N passes this: far beyond any forecast. */
    private static final double MAX_PARAMS = 1e17;

    /** A suggested shape; {@code params} in the law's convention, {@code params_total} every weight. */
    @JsonPropertyOrder({"layers", "d_model", "heads", "head_dim", "mlp_ratio", "context", "vocab", "params",
        "params_total", "rule"})
    public record Shape(int layers, @JsonProperty("d_model") int dModel, int heads, int headDim, int mlpRatio,
            int context, int vocab, double params, double paramsTotal, String rule) {
        public GptShape gpt() {
            return new GptShape(vocab, context, dModel, layers, heads, mlpRatio);
        }

        public String label() {
            return layers + " layers, d_model " + dModel + ", " + heads + " heads of " + headDim;
        }
    }

    public static ShapeRule standard(Integer context, ParamConvention convention) {
        int t = context == null ? STANDARD_CONTEXT : context;
        return new ShapeRule(128, 128, 4, STANDARD_VOCAB, t, convention, String.format(Locale.ROOT,
                "standard aspect ratio: d_model = 128 x layers, heads of 128, MLP 4 x d_model, vocabulary %d, context "
                        + "%d", STANDARD_VOCAB, t));
    }

    /** The same rule with another vocabulary (forecast's --vocab). */
    public ShapeRule withVocab(int v) {
        return new ShapeRule(widthPerLayer, headDim, mlpRatio, v, context, convention,
                source.replaceAll("vocabulary \\d+", "vocabulary " + v + " (--vocab)"));
    }

    /** The sweep's shape family continued: its depth rule, or its largest shape's aspect ratio and head width. */
    public static ShapeRule of(ShapeFamily family, Integer context, ParamConvention convention) {
        int t = context == null ? family.context() : context;
        if (family.rule() != null) {
            ShapeFamily.Rule r = family.rule();
            return new ShapeRule(r.widthPerLayer(), r.headDim(), r.mlpRatio(), family.vocab(), t, convention,
                    String.format(Locale.ROOT, "the sweep's ladder rule: d_model = %s x layers, heads of %s, MLP %d x "
                            + "d_model, vocabulary %d, context %d", Numbers.plainOr4g(r.widthPerLayer()), Numbers.plainOr4g(r.headDim()),
                            r.mlpRatio(), family.vocab(), t));
        }
        ShapeFamily.Shape top = family.shapes().stream().max(Comparator.comparingDouble(s -> ParameterCounts
                .closedForm(new GptShape(family.vocab(), family.context(), s.dModel(), s.layers(), s.heads(),
                        s.mlpRatio())).get(convention))).orElseThrow();
        double w = (double) top.dModel() / top.layers();
        double h = (double) top.dModel() / top.heads();
        return new ShapeRule(w, h, top.mlpRatio(), family.vocab(), t, convention, String.format(Locale.ROOT,
                "the aspect ratio of the sweep's largest shape (%d layers, d_model %d, %d heads): d_model = %s x "
                        + "layers, heads of %s, MLP %d x d_model, vocabulary %d, context %d", top.layers(),
                top.dModel(), top.heads(), Numbers.plainOr4g(w), Numbers.plainOr4g(h), top.mlpRatio(), family.vocab(), t));
    }

    /**
     * The shape family a sweep recorded (sweep.json's {@code shape_family}), given its results folder or its
     * sweep.json; empty when there is none (not a sweep, or one from before the family was recorded).
     */
    public static Optional<ShapeFamily> readFamily(Path resultsDirOrSweepJson) {
        Path f = Files.isDirectory(resultsDirOrSweepJson) ? resultsDirOrSweepJson.resolve("sweep.json")
                : resultsDirOrSweepJson;
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        JsonNode family = Json.readTree(f).path("shape_family");
        if (!family.isObject()) {
            return Optional.empty();
        }
        try {
            ShapeFamily s = Json.mapper().convertValue(family, ShapeFamily.class);
            return s.shapes() == null || s.shapes().isEmpty() ? Optional.empty() : Optional.of(s);
        } catch (IllegalArgumentException e) {
            throw ScalingLabException.data(f + ": shape_family cannot be read: " + e.getMessage().lines().findFirst()
                    .orElse(""), null);
        }
    }

    /** The shape of the given depth: d_model to whole heads of about headDim, at least one head. */
    public GptShape at(int depth) {
        double d = Math.max(1, Math.round(widthPerLayer * depth));
        int heads = (int) Math.max(1, Math.round(d / headDim));
        int dModel = (int) (heads * Math.max(1, Math.round(d / heads)));
        return new GptShape(vocab, context, dModel, depth, heads, mlpRatio);
    }

    public double params(GptShape s) {
        return ParameterCounts.closedForm(s).get(convention);
    }

    /** The shape of the rule whose N is nearest {@code n} in log. */
    public Shape suggest(double n) {
        int lo = 1;
        int hi = 1;
        while (params(at(hi)) < n && params(at(hi)) < MAX_PARAMS) {
            lo = hi;
            hi *= 2;
        }
        while (hi - lo > 1) { // params(at(lo)) < n <= params(at(hi)), or lo = hi = 1
            int mid = (lo + hi) / 2;
            if (params(at(mid)) < n) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        int depth = Math.abs(Math.log(params(at(lo)) / n)) <= Math.abs(Math.log(params(at(hi)) / n)) ? lo : hi;
        GptShape s = at(depth);
        return new Shape(s.layers(), s.dModel(), s.heads(), s.headDim(), s.mlpRatio(), s.context(), s.vocab(),
                params(s), ParameterCounts.closedForm(s).total(), source);
    }

    /**
     * Training FLOPs per token as hardware executes them, along the rule: PaLM's 6 N + 12 L T d (N the
     * non-embedding parameters and the head; {@link Flops#palm}), against N in the law's convention. This is
     * the count MFU is measured in, so time = D x this / (peak x MFU).
     */
    public FlopsCurve palmCurve() {
        List<double[]> pts = new ArrayList<>();
        for (int depth = 1; ; depth = Math.max(depth + 1, (int) Math.round(depth * 1.05))) {
            GptShape s = at(depth);
            double n = params(s);
            if (pts.isEmpty() || n > pts.get(pts.size() - 1)[0]) {
                pts.add(new double[] {n, Flops.palm(s)});
            }
            if (n > MAX_PARAMS) {
                break;
            }
        }
        return new FlopsCurve(convention.name().toLowerCase(Locale.ROOT), "palm", "6N + 12 L T d along " + source,
                pts.toArray(double[][]::new));
    }
}
