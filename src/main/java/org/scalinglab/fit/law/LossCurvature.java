package org.scalinglab.fit.law;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.scalinglab.fit.input.RunPoint;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.text.Numbers;

/**
 * Whether each model size's losses have the shape every L(N, D) fitted here implies. At a fixed N both
 * Chinchilla's E + A/N^alpha + B/D^beta and Kaplan's joint law make ln L a convex function of ln D: the
 * loss falls ever more slowly per doubling of the data. A size whose measured losses fall <em>faster</em>
 * with each doubling (concave in log-log) is still in early training, where no such law holds; a law
 * fitted through those points cannot bend with them, so its predictions for that size and larger ones,
 * beyond the data they were trained on, are not supported by the data.
 *
 * <p>Per size with runs at three or more token counts: a quadratic in ln D fitted to ln L by weighted
 * least squares (weights from each run's standard error, relative to its loss), its curvature and that
 * curvature's standard error; a size is flagged when the curvature is negative by more than
 * {@value #Z} standard errors. Without standard errors the scatter about the quadratic stands in for
 * them, which needs four token counts; with three the size is reported but not tested.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"test", "sizes", "unsupported_from_N"})
public record LossCurvature(String test, List<Size> sizes, @JsonProperty("unsupported_from_N") Double unsupportedFromN) {

    /** How many standard errors of negative curvature flag a size. */
    public static final double Z = 2;

    public static final String TEST = "per size, ln L = c0 + c1 ln D + c2 (ln D)^2 by weighted least squares; c2 < -"
            + (int) Z + " standard errors: the loss falls faster with each doubling of D, which no L(N, D) here allows";

    /**
     * One size: its runs' token counts and losses, the log-log slope between consecutive token counts
     * (-d ln L / d ln D), the curvature c2 with its standard error (null when untestable) and the verdict.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"N", "D", "loss", "slopes", "curvature", "curvature_se", "z", "accelerating"})
    public record Size(@JsonProperty("N") double params, @JsonProperty("D") double[] tokens, double[] loss,
            double[] slopes, double curvature, Double curvatureSe, Double z, boolean accelerating) {

        /** The slopes to three decimals, comma-separated, for the console and the report. */
        public String slopesText() {
            List<String> out = new ArrayList<>();
            for (double v : slopes) {
                out.add(String.format(Locale.ROOT, "%.3f", v));
            }
            return String.join(", ", out);
        }
    }

    /** The check over a table's runs, or null when no size has runs at three token counts. */
    public static LossCurvature of(RunTable table) {
        Map<Double, TreeMap<Double, List<RunPoint>>> bySize = new TreeMap<>();
        for (RunPoint p : table.points()) {
            bySize.computeIfAbsent(p.params(), n -> new TreeMap<>()).computeIfAbsent(p.tokens(), d -> new ArrayList<>())
                    .add(p);
        }
        List<Size> sizes = new ArrayList<>();
        bySize.forEach((n, byTokens) -> {
            if (byTokens.size() >= 3) {
                sizes.add(size(n, byTokens));
            }
        });
        if (sizes.isEmpty()) {
            return null;
        }
        Double from = sizes.stream().filter(Size::accelerating).map(Size::params).findFirst().orElse(null);
        return new LossCurvature(TEST, sizes, from);
    }

    /** Whether a prediction at this N lies at or above the smallest size the data flag. */
    public boolean unsupported(double n) {
        return unsupportedFromN != null && n >= unsupportedFromN * (1 - 1e-9);
    }

    private static Size size(double n, TreeMap<Double, List<RunPoint>> byTokens) {
        List<RunPoint> runs = byTokens.values().stream().flatMap(List::stream).toList();
        int m = runs.size();
        boolean weighted = runs.stream().allMatch(p -> p.lossSe() != null && p.lossSe() > 0);
        double mean = runs.stream().mapToDouble(p -> Math.log(p.tokens())).average().orElseThrow();
        double[][] xtwx = new double[3][3];
        double[] xtwy = new double[3];
        for (RunPoint p : runs) {
            double x = Math.log(p.tokens()) - mean;
            double w = weighted ? Math.pow(p.loss() / p.lossSe(), 2) : 1;
            double[] row = {1, x, x * x};
            for (int i = 0; i < 3; i++) {
                xtwy[i] += w * row[i] * Math.log(p.loss());
                for (int j = 0; j < 3; j++) {
                    xtwx[i][j] += w * row[i] * row[j];
                }
            }
        }
        RealMatrix cov = new LUDecomposition(new Array2DRowRealMatrix(xtwx)).getSolver().getInverse();
        double[] c = cov.operate(xtwy);
        double var = cov.getEntry(2, 2);
        if (!weighted) {
            // the scatter about the quadratic estimates the noise: needs a residual degree of freedom
            double rss = 0;
            for (RunPoint p : runs) {
                double x = Math.log(p.tokens()) - mean;
                rss += Math.pow(Math.log(p.loss()) - c[0] - c[1] * x - c[2] * x * x, 2);
            }
            var = m > 3 ? var * rss / (m - 3) : Double.NaN;
        }
        Double se = Double.isFinite(var) && var > 0 ? Math.sqrt(var) : null;
        Double z = se == null ? null : c[2] / se;
        double[] tokens = byTokens.keySet().stream().mapToDouble(Double::doubleValue).toArray();
        double[] loss = byTokens.values().stream()
                .mapToDouble(ps -> Math.exp(ps.stream().mapToDouble(p -> Math.log(p.loss())).average().orElseThrow()))
                .toArray();
        double[] slopes = new double[tokens.length - 1];
        for (int i = 0; i < slopes.length; i++) {
            slopes[i] = -Math.log(loss[i + 1] / loss[i]) / Math.log(tokens[i + 1] / tokens[i]);
        }
        return new Size(n, tokens, loss, slopes, c[2], se, z, z != null && z < -Z);
    }

    /** One line per flagged size and what it means for predictions; empty when none is flagged. */
    public String describe() {
        if (unsupportedFromN == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "loss curvature: from N = %s the losses fall "
                + "faster with each doubling of D, which no L(N, D) here allows (still early training); predictions at "
                + "N >= %s beyond the data are not supported by it:%n", Numbers.sig4(unsupportedFromN),
                Numbers.sig4(unsupportedFromN)));
        for (Size s : sizes) {
            if (s.accelerating()) {
                sb.append(String.format(Locale.ROOT, "  N %s: -dlnL/dlnD %s over D %s..%s (curvature %.4f, %.1f "
                        + "standard errors)%n", Numbers.sig4(s.params()), s.slopesText(), Numbers.sig4(s.tokens()[0]),
                        Numbers.sig4(s.tokens()[s.tokens().length - 1]), s.curvature(), s.z()));
            }
        }
        return sb.toString();
    }
}
