package org.scalinglab.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.scalinglab.text.Numbers;

/** Array arithmetic the figures share: grids, columns, ranges, the finite positive points of a log plot. */
final class PlotData {
    private PlotData() {}

    /** n points from lo to hi, evenly spaced in ln. */
    static double[] logspace(double lo, double hi, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * i / (n - 1));
        }
        return v;
    }

    /** n points from lo to hi, evenly spaced. */
    static double[] linspace(double lo, double hi, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * i / (n - 1);
        }
        return v;
    }

    /** Column k of a list of rows. */
    static double[] column(List<double[]> rows, int k) {
        return rows.stream().mapToDouble(r -> r[k]).toArray();
    }

    /** The smallest finite positive value; NaN when there is none. */
    static double minPositive(double[] v) {
        return Arrays.stream(v).filter(x -> x > 0 && Double.isFinite(x)).min().orElse(Double.NaN);
    }

    /** The largest finite positive value; NaN when there is none. */
    static double maxPositive(double[] v) {
        return Arrays.stream(v).filter(x -> x > 0 && Double.isFinite(x)).max().orElse(Double.NaN);
    }

    /** An empty [xmin, xmax, ymin, ymax] for {@link #extend} to grow. */
    static double[] emptyRange() {
        return new double[] {Double.MAX_VALUE, 0, Double.MAX_VALUE, 0};
    }

    /** Grows [xmin, xmax, ymin, ymax] by the finite positive values given (either array may be null). */
    static void extend(double[] range, double[] x, double[] y) {
        if (x != null) {
            for (double v : x) {
                if (v > 0 && Double.isFinite(v)) {
                    range[0] = Math.min(range[0], v);
                    range[1] = Math.max(range[1], v);
                }
            }
        }
        if (y != null) {
            for (double v : y) {
                if (v > 0 && Double.isFinite(v)) {
                    range[2] = Math.min(range[2], v);
                    range[3] = Math.max(range[3], v);
                }
            }
        }
    }

    /** The points where both coordinates are finite and positive. */
    static double[][] finitePositive(double[] x, double[] y) {
        List<double[]> keep = new ArrayList<>();
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (x[i] > 0 && y[i] > 0 && Double.isFinite(x[i]) && Double.isFinite(y[i])) {
                keep.add(new double[] {x[i], y[i]});
            }
        }
        return new double[][] {column(keep, 0), column(keep, 1)};
    }

    /** How many points have both coordinates finite and positive. */
    static int countPositive(double[] x, double[] y) {
        return finitePositive(x, y)[0].length;
    }

    /** The part of a curve inside a box. */
    static double[][] clipTo(double[] x, double[] y, double xLo, double xHi, double yLo, double yHi) {
        List<double[]> keep = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (x[i] >= xLo && x[i] <= xHi && y[i] >= yLo && y[i] <= yHi) {
                keep.add(new double[] {x[i], y[i]});
            }
        }
        return new double[][] {column(keep, 0), column(keep, 1)};
    }

    /** How many different values. */
    static int distinct(double[] v) {
        return (int) Arrays.stream(v).distinct().count();
    }

    /** A sort key that puts unknown (NaN) values after every known one. */
    static double nanLast(double v) {
        return Double.isFinite(v) ? v : Double.MAX_VALUE;
    }

    /** Root mean square of the finite values, to three decimals; "-" when there are none. */
    static String rms(double[] v) {
        double s = 0;
        int n = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                s += x * x;
                n++;
            }
        }
        return n == 0 ? "-" : Numbers.fixed(Math.sqrt(s / n), 3);
    }
}
