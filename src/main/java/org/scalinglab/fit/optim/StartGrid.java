package org.scalinglab.fit.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The grid of L-BFGS starts for approach 3, in the optimiser's coordinates (a, b, e, alpha, beta) =
 * (log A, log B, log E, alpha, beta). Starts are numbered alpha-major, then beta, e, a, b, so "ties go to
 * the lowest start index" is well defined.
 */
public record StartGrid(double[] alpha, double[] beta, double[] e, double[] a, double[] b) {

    /** Chinchilla appendix D.2: alpha, beta in {0, 0.5, ..., 2}, e in {-1, -0.5, ..., 1}, a, b in {0, 5, ..., 25}. */
    public static StartGrid chinchilla() {
        return new StartGrid(range(0, 2, 0.5), range(0, 2, 0.5), range(-1, 1, 0.5), range(0, 25, 5),
                range(0, 25, 5));
    }

    public int size() {
        return alpha.length * beta.length * e.length * a.length * b.length;
    }

    public List<double[]> starts() {
        List<double[]> out = new ArrayList<>(size());
        for (double al : alpha) {
            for (double be : beta) {
                for (double ee : e) {
                    for (double aa : a) {
                        for (double bb : b) {
                            out.add(new double[] {aa, bb, ee, al, be});
                        }
                    }
                }
            }
        }
        return out;
    }

    /** For fits.json. */
    public Map<String, double[]> describe() {
        // in this order every time (Map.of's order changes from one JVM to the next, and fits.json with it)
        Map<String, double[]> d = new LinkedHashMap<>();
        d.put("alpha", alpha);
        d.put("beta", beta);
        d.put("e", e);
        d.put("a", a);
        d.put("b", b);
        return d;
    }

    static double[] range(double from, double to, double step) {
        int n = (int) Math.round((to - from) / step) + 1;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = from + i * step;
        }
        return v;
    }
}
