package org.scalinglab.fit.input;

import static org.scalinglab.io.JsonRules.*;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.scalinglab.io.JsonRules.ObjectRule;

/**
 * The training FLOPs per token F(N) of the runs' shape family, so that a compute budget means the same
 * thing to every approach: C(N, D) = D x F(N), N and C in the fit's conventions. Log F is interpolated
 * linearly in log N between the points and extrapolated with the end segments' slopes. Only a CSV of
 * runs that gives N and C but no shapes falls back to C = 6ND, and says so in {@code source}.
 *
 * @param source where the points come from: the sweep's shape family, the runs' own C/D, or "6N"
 * @param points (N, F) with N strictly increasing
 */
@JsonPropertyOrder({"param_convention", "flop_convention", "source", "points"})
public record FlopsCurve(String paramConvention, String flopConvention, String source, double[][] points) {
    public static final String SIX_N = "C = 6ND (no shapes known)";

    /** F = 6N: the textbook count, for inputs that carry no shapes. */
    public static FlopsCurve sixN(String paramConvention, String flopConvention) {
        return new FlopsCurve(paramConvention, flopConvention, SIX_N, new double[][] {{1, 6}, {1e30, 6e30}});
    }

    /**
     * From the runs themselves: F_i = C_i / D_i at each run's N, continued with slope 1 (F proportional
     * to N, as every count becomes for large models) above the largest run and with the first
     * segment's slope below the smallest.
     */
    public static FlopsCurve fromRuns(List<RunPoint> runs, String paramConvention, String flopConvention) {
        List<double[]> pts = new ArrayList<>();
        for (RunPoint p : runs) {
            pts.add(new double[] {p.params(), p.flops() / p.tokens()});
        }
        pts.sort(Comparator.comparingDouble(p -> p[0]));
        List<double[]> distinct = new ArrayList<>();
        for (double[] p : pts) {
            if (distinct.isEmpty() || p[0] > distinct.get(distinct.size() - 1)[0] * (1 + 1e-9)) {
                distinct.add(p);
            }
        }
        double[] top = distinct.get(distinct.size() - 1);
        distinct.add(new double[] {top[0] * 1e12, top[1] * 1e12});
        return new FlopsCurve(paramConvention, flopConvention, "the runs' own C/D at each N, F proportional to N "
                + "beyond the largest", distinct.toArray(double[][]::new));
    }

    public FlopsCurve {
        if (points == null || points.length < 2) {
            throw new IllegalArgumentException("a FLOPs curve needs at least two points");
        }
        for (int i = 1; i < points.length; i++) {
            if (!(points[i][0] > points[i - 1][0]) || !(points[i][1] > 0)) {
                throw new IllegalArgumentException("FLOPs curve points must have increasing N and positive F");
            }
        }
    }

    /** Training FLOPs per token of a model with N parameters. */
    public double perToken(double n) {
        // the first point whose log N is not below log n, by binary search (allocation calls this millions of
        // times); comparing logs, not N, picks the segment the linear scan picked, bit for bit
        double x = Math.log(n);
        int lo = 1;
        int hi = points.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Math.log(points[mid][0]) < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        double x0 = Math.log(points[hi - 1][0]);
        double x1 = Math.log(points[hi][0]);
        double y0 = Math.log(points[hi - 1][1]);
        double y1 = Math.log(points[hi][1]);
        return Math.exp(y0 + (y1 - y0) * (x - x0) / (x1 - x0));
    }

    /** C(N, D) = D x F(N). */
    public double flops(double n, double d) {
        return d * perToken(n);
    }

    /** D = C / F(N): the tokens a budget buys a model of N parameters. */
    public double tokens(double n, double c) {
        return c / perToken(n);
    }

    @JsonIgnore
    public boolean isSixN() {
        return SIX_N.equals(source);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FlopsCurve f && f.source.equals(source) && Arrays.deepEquals(f.points, points);
    }

    @Override
    public int hashCode() {
        return source.hashCode() * 31 + Arrays.deepHashCode(points);
    }

    /** C(N, D) = D x F(N) in JSON: (N, F) points, N strictly increasing, F positive (every allocation reads it). */
    public static final ObjectRule RULES = object()
            .optional("param_convention", text())
            .optional("flop_convention", text())
            .optional("source", text())
            .require("points", arrayOf(arrayOf(positive(), 2), 2))
            .and((v, path) -> {
                JsonNode pts = v.get("points");
                for (int i = 0; i < pts.size(); i++) {
                    if (pts.get(i).size() != 2) {
                        throw bad(path + ".points[" + i + "]", "must be a pair [N, F]");
                    }
                    if (i > 0 && !(pts.get(i).get(0).asDouble() > pts.get(i - 1).get(0).asDouble())) {
                        throw bad(path + ".points[" + i + "]", "must have a larger N than the point before");
                    }
                }
            });
}
