package org.scalinglab.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.text.Numbers;

/**
 * The shapes a sweep trains, continued beyond them, so that the training FLOPs per token F(N) are
 * known at any size a fit allocates compute to: C(N, D) = D x F(N). A depth rule (d_model =
 * width_per_layer x depth, heads = d_model / head_dim) continues itself with real-valued depth; an
 * explicit list of shapes is interpolated between its shapes and continued past its ends with the
 * aspect ratio and head width of its end shapes.
 *
 * @param rule the depth rule, or null for explicit shapes
 * @param shapes the ladder's shapes (for a rule, the depths it lists)
 */
public record ShapeFamily(int vocab, int context, Rule rule, List<Shape> shapes) {
    /** Continued depths reach this far: N ~ 1e12 and more for any rule. */
    private static final double MAX_DEPTH = 4096;
    /** Points per doubling of depth. */
    private static final int PER_OCTAVE = 16;

    /** d_model = widthPerLayer x depth, heads = d_model / headDim (at least one), MLP mlpRatio x d_model. */
    public record Rule(double widthPerLayer, double headDim, int mlpRatio) {}

    public record Shape(int layers, int dModel, int heads, int mlpRatio) {
        public static Shape of(GptShape s) {
            return new Shape(s.layers(), s.dModel(), s.heads(), s.mlpRatio());
        }
    }

    /**
     * (N, F) along the family, N strictly increasing: N in {@code params}, F = training FLOPs per token
     * in {@code flops}. A fit interpolates log F against log N between these points.
     */
    public double[][] curve(ParamConvention params, FlopConvention flops) {
        List<double[]> points = new ArrayList<>();
        if (rule != null) {
            continued(points, rule, 1, MAX_DEPTH, params, flops);
        } else {
            List<Shape> sorted = new ArrayList<>(shapes);
            sorted.sort(Comparator.comparingDouble(s -> point(s.layers(), s.dModel(), s.heads(), s.mlpRatio(),
                    params, flops)[0]));
            Shape low = sorted.get(0);
            Shape high = sorted.get(sorted.size() - 1);
            if (low.layers() > 1) {
                continued(points, aspect(low), 1, low.layers(), params, flops);
            }
            for (Shape s : sorted) {
                points.add(point(s.layers(), s.dModel(), s.heads(), s.mlpRatio(), params, flops));
            }
            continued(points, aspect(high), high.layers(), MAX_DEPTH, params, flops);
        }
        List<double[]> increasing = new ArrayList<>();
        for (double[] p : points) {
            if (increasing.isEmpty() || p[0] > increasing.get(increasing.size() - 1)[0]) {
                increasing.add(p);
            }
        }
        return increasing.toArray(double[][]::new);
    }

    /** One line for fits.json and the console. */
    public String describe() {
        if (rule != null) {
            return String.format(java.util.Locale.ROOT, "depth rule d_model = %s x depth, head_dim %s, mlp_ratio %d, "
                    + "context %d, vocab %d, continued in real-valued depth", Numbers.plain(rule.widthPerLayer()),
                    Numbers.plain(rule.headDim()), rule.mlpRatio(), context, vocab);
        }
        return shapes.size() + " explicit shapes (context " + context + ", vocab " + vocab + "), interpolated in log-log "
                + "and continued past the ends with the end shapes' aspect ratio and head width";
    }

    private static Rule aspect(Shape s) {
        return new Rule((double) s.dModel() / s.layers(), (double) s.dModel() / s.heads(), s.mlpRatio());
    }

    /** Points of a rule at depths strictly between {@code from} and {@code to} (both ends excluded but 1). */
    private void continued(List<double[]> out, Rule r, double from, double to, ParamConvention params,
            FlopConvention flops) {
        for (int k = from <= 1 ? 0 : 1; ; k++) {
            double depth = from * Math.pow(2, (double) k / PER_OCTAVE);
            if (depth >= to) {
                return;
            }
            double d = r.widthPerLayer() * depth;
            out.add(point(depth, d, Math.max(1, d / r.headDim()), r.mlpRatio(), params, flops));
        }
    }

    private double[] point(double layers, double d, double heads, int mlpRatio, ParamConvention params,
            FlopConvention flops) {
        double f = mlpRatio * d;
        double n = ParameterCounts.of(params, vocab, context, d, layers, f);
        return new double[] {n, Flops.perToken(flops, vocab, context, d, layers, heads, f)};
    }
}
