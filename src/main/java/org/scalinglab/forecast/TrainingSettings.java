package org.scalinglab.forecast;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.scalinglab.ScalingLabException;
import org.scalinglab.io.Json;
import org.scalinglab.sweep.SweepFolder;
import org.scalinglab.text.Numbers;

/**
 * The batch size, peak learning rate and step count a forecast suggests, each with where it comes from:
 * the study's own measurements when the fit's sweep has them (tuning.json's learning-rate rule; the
 * critical batch size B_crit(L) of report/phenomena.json at the plan's loss, which McCandlish et al. 2018
 * and Kaplan et al. 2020 take as the batch that trades steps for data evenly), else DeepSeek LLM's
 * compute rules (DeepSeek-AI 2024, eq. 1: B_opt = 0.2920 C^0.3271 tokens, eta_opt = 0.3118 C^-0.1250).
 *
 * @param batchTokens tokens per optimizer step
 * @param batchSequences sequences of the shape's context per step (at least 1)
 * @param steps optimizer steps to train the plan's D tokens
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"batch_tokens", "batch_sequences", "steps", "lr", "batch_source", "lr_source"})
public record TrainingSettings(double batchTokens, long batchSequences, long steps, double lr, String batchSource,
        String lrSource) {

    static final String DEEPSEEK = "DeepSeek LLM 2024's rule for C = %s FLOPs";

    /** DeepSeek LLM's batch: B_opt = 0.2920 C^0.3271 tokens. */
    static double deepSeekBatch(double c) {
        return 0.2920 * Math.pow(c, 0.3271);
    }

    /** DeepSeek LLM's peak learning rate: eta_opt = 0.3118 C^-0.1250. */
    static double deepSeekLr(double c) {
        return 0.3118 * Math.pow(c, -0.1250);
    }

    /**
     * The settings for a plan of {@code n} parameters (in {@code paramConvention}), {@code d} tokens,
     * compute {@code c}, at {@code loss}, with sequences of {@code context} tokens; {@code sweep} the fit's
     * results folder or null.
     */
    public static TrainingSettings suggest(double n, double d, double c, double loss, int context, Path sweep) {
        double batch = deepSeekBatch(c);
        String batchSource = String.format(Locale.ROOT, DEEPSEEK, Numbers.sig4(c));
        double lr = deepSeekLr(c);
        String lrSource = batchSource;
        if (sweep != null) {
            SweepFolder study = new SweepFolder(sweep);
            JsonNode bc = read(study.phenomenaJson(), "critical_batch");
            if (bc != null && bc.path("b_star").isNumber() && bc.path("alpha_b").isNumber() && Double.isFinite(loss)) {
                double b = bc.get("b_star").asDouble() * Math.pow(loss, -1 / bc.get("alpha_b").asDouble());
                if (b > 0 && Double.isFinite(b)) {
                    batch = b;
                    batchSource = String.format(Locale.ROOT, "the study's B_crit(L) = %s / L^(1/%s) tokens at the plan's "
                            + "loss %s (%s)", Numbers.sig4(bc.get("b_star").asDouble()),
                            Numbers.sig4(bc.get("alpha_b").asDouble()), Numbers.fixed(loss, 4),
                            study.phenomenaJson());
                }
            }
            JsonNode rule = read(study.tuningJson(), "rule");
            if (rule != null && rule.path("coefficient").isNumber()) {
                double p = rule.path("exponent").isNumber() ? rule.get("exponent").asDouble() : 0;
                double v = rule.get("coefficient").asDouble() * Math.pow(n, p);
                if (v > 0 && Double.isFinite(v)) {
                    lr = v;
                    lrSource = String.format(Locale.ROOT, "the study's tune rule %s, c %s, p %s (%s), extrapolated to "
                            + "N = %s", rule.path("form").asText("lr = c N^p"), Numbers.sig4(rule.get("coefficient")
                            .asDouble()), Numbers.sig4(p), study.tuningJson(), Numbers.sig4(n));
                }
            }
        }
        long sequences = Math.max(1, Math.round(batch / context));
        long steps = Math.max(1, (long) Math.ceil(d / ((double) sequences * context)));
        return new TrainingSettings(batch, sequences, steps, lr, batchSource, lrSource);
    }

    private static JsonNode read(Path file, String key) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode n = Json.readTree(file).get(key);
            return n == null || n.isNull() ? null : n;
        } catch (ScalingLabException e) {
            return null; // an unreadable side file leaves the published rule in place
        }
    }
}
