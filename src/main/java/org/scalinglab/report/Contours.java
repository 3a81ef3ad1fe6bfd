package org.scalinglab.report;

import java.util.ArrayList;
import java.util.List;

/**
 * Iso-lines of a function sampled on a rectangular grid, by marching squares (XChart draws no contours).
 * Each cell whose corners straddle the level contributes one segment, or two at a saddle, with the end
 * points interpolated linearly along the cell's edges; a saddle is resolved by the cell's mean value.
 */
final class Contours {
    private Contours() {}

    /**
     * Segments {x1, y1, x2, y2} of the level line of {@code z}, where {@code z[i][j]} is the value at
     * ({@code x[i]}, {@code y[j]}). Non-finite corners make a cell contribute nothing.
     */
    static List<double[]> segments(double[] x, double[] y, double[][] z, double level) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i + 1 < x.length; i++) {
            for (int j = 0; j + 1 < y.length; j++) {
                // corners counter-clockwise from bottom left; edges bottom, right, top, left
                double[] cx = {x[i], x[i + 1], x[i + 1], x[i]};
                double[] cy = {y[j], y[j], y[j + 1], y[j + 1]};
                double[] v = {z[i][j], z[i + 1][j], z[i + 1][j + 1], z[i][j + 1]};
                boolean finite = true;
                for (double w : v) {
                    finite &= Double.isFinite(w);
                }
                if (!finite) {
                    continue;
                }
                double[][] cross = new double[4][];
                int n = 0;
                for (int e = 0; e < 4; e++) {
                    int a = e;
                    int b = (e + 1) % 4;
                    if ((v[a] > level) != (v[b] > level)) {
                        double t = (level - v[a]) / (v[b] - v[a]);
                        cross[e] = new double[] {cx[a] + t * (cx[b] - cx[a]), cy[a] + t * (cy[b] - cy[a])};
                        n++;
                    }
                }
                if (n == 2) {
                    double[] p = null;
                    for (double[] c : cross) {
                        if (c != null) {
                            if (p == null) {
                                p = c;
                            } else if (p[0] != c[0] || p[1] != c[1]) {
                                // a corner exactly on the level yields a zero-length piece; the neighbouring
                                // cells already pass through that point
                                out.add(new double[] {p[0], p[1], c[0], c[1]});
                            }
                        }
                    }
                } else if (n == 4) {
                    boolean centreAbove = (v[0] + v[1] + v[2] + v[3]) / 4 > level;
                    if (centreAbove == (v[0] > level)) {
                        // the bottom-left corner's side joins the top-right one through the centre:
                        // the lines cut off the bottom-right and top-left corners
                        out.add(join(cross[0], cross[1]));
                        out.add(join(cross[2], cross[3]));
                    } else {
                        out.add(join(cross[3], cross[0]));
                        out.add(join(cross[1], cross[2]));
                    }
                }
            }
        }
        return out;
    }

    private static double[] join(double[] p, double[] q) {
        return new double[] {p[0], p[1], q[0], q[1]};
    }

    /**
     * Chains segments that share end points into polylines, as x and y arrays with NaN between lines,
     * so that one chart series draws the whole level (and its SVG stays small).
     */
    static double[][] polylines(List<double[]> segments, double tolerance) {
        List<List<double[]>> lines = new ArrayList<>();
        boolean[] used = new boolean[segments.size()];
        for (int s = 0; s < segments.size(); s++) {
            double[] g0 = segments.get(s);
            if (near(new double[] {g0[0], g0[1]}, g0[2], g0[3], tolerance)) {
                // where the level passes (within rounding) through a grid point, a cell can add a piece
                // shorter than the tolerance; the line passes through that point without it
                used[s] = true;
            }
            if (used[s]) {
                continue;
            }
            used[s] = true;
            java.util.LinkedList<double[]> line = new java.util.LinkedList<>();
            double[] seg = segments.get(s);
            line.add(new double[] {seg[0], seg[1]});
            line.add(new double[] {seg[2], seg[3]});
            boolean grew = true;
            while (grew) {
                grew = false;
                for (int t = 0; t < segments.size(); t++) {
                    if (used[t]) {
                        continue;
                    }
                    double[] g = segments.get(t);
                    double[] head = line.getFirst();
                    double[] tail = line.getLast();
                    if (near(tail, g[0], g[1], tolerance)) {
                        line.addLast(new double[] {g[2], g[3]});
                    } else if (near(tail, g[2], g[3], tolerance)) {
                        line.addLast(new double[] {g[0], g[1]});
                    } else if (near(head, g[2], g[3], tolerance)) {
                        line.addFirst(new double[] {g[0], g[1]});
                    } else if (near(head, g[0], g[1], tolerance)) {
                        line.addFirst(new double[] {g[2], g[3]});
                    } else {
                        continue;
                    }
                    used[t] = true;
                    grew = true;
                }
            }
            lines.add(line);
        }
        int total = lines.stream().mapToInt(List::size).sum() + Math.max(0, lines.size() - 1);
        double[] xs = new double[total];
        double[] ys = new double[total];
        int k = 0;
        for (int l = 0; l < lines.size(); l++) {
            if (l > 0) {
                xs[k] = Double.NaN;
                ys[k] = Double.NaN;
                k++;
            }
            for (double[] p : lines.get(l)) {
                xs[k] = p[0];
                ys[k] = p[1];
                k++;
            }
        }
        return new double[][] {xs, ys};
    }

    private static boolean near(double[] p, double x, double y, double tol) {
        return Math.abs(p[0] - x) <= tol && Math.abs(p[1] - y) <= tol;
    }
}
