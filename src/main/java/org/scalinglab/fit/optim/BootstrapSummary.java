package org.scalinglab.fit.optim;

import static org.scalinglab.io.JsonRules.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import org.scalinglab.io.JsonRules.Rule;

/**
 * What a bootstrap did and found: how many refits were asked for and succeeded, the seed and generator,
 * the interval method and resampling unit, per-quantity statistics, and every sample (so that predictions
 * can carry intervals and plots can draw the spread).
 */
public record BootstrapSummary(
        int replicates,
        int succeeded,
        long seed,
        String generator,
        double level,
        String method,
        String resampling,
        Integer startsPerRefit,
        Map<String, Stats> summary,
        Map<String, double[]> samples) {

    /** Mean, standard deviation, median and the percentile interval of one quantity. */
    public record Stats(double mean, double sd, double median, double low, double high) {
        static Stats of(double[] v, double level) {
            double[] s = Arrays.stream(v).filter(Double::isFinite).sorted().toArray();
            if (s.length == 0) {
                return new Stats(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            double mean = Arrays.stream(s).average().orElse(Double.NaN);
            double var = Arrays.stream(s).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, s.length - 1);
            double[] ci = Bootstrap.percentileInterval(s, level);
            return new Stats(mean, Math.sqrt(var), Bootstrap.quantile(s, 0.5), ci[0], ci[1]);
        }
    }

    /**
     * The JSON of a bootstrap record: {@code samples} holds each named quantity (and any other) as an
     * array of {@code replicates} numbers or nulls (failed refits), so every sample index means one refit.
     */
    public static Rule rules(String... names) {
        return object()
                .require("replicates", integer(0))
                .optional("succeeded", integer(0))
                .optional("level", number(d -> d > 0 && d < 1, "must be in (0, 1)"))
                .and((v, path) -> {
                    JsonNode samples = v.get("samples");
                    if (samples == null || samples.isNull()) {
                        return; // fits.json may leave the samples out; predictions then have no interval
                    }
                    long n = v.get("replicates").asLong();
                    if (!samples.isObject()) {
                        throw bad(path + ".samples", "must be a JSON object");
                    }
                    if (n > 0) {
                        for (String name : names) {
                            if (!samples.has(name) || samples.get(name).isNull()) {
                                throw bad(path + ".samples." + name, "is missing");
                            }
                        }
                    }
                    Iterator<Map.Entry<String, JsonNode>> it = samples.fields();
                    while (it.hasNext()) {
                        Map.Entry<String, JsonNode> e = it.next();
                        String p = path + ".samples." + e.getKey();
                        JsonNode a = e.getValue();
                        if (!a.isArray()) {
                            throw bad(p, "must be an array of numbers");
                        }
                        if (a.size() != n) {
                            throw bad(p, "has " + a.size() + " samples, but replicates is " + n);
                        }
                        for (int i = 0; i < a.size(); i++) {
                            numberOrNull().check(a.get(i), p + "[" + i + "]");
                        }
                    }
                });
    }
}
