package org.scalinglab.sweep;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.scalinglab.text.Numbers;

/**
 * The IsoFLOP arithmetic of a design over a ladder of sizes N: where a budget's expected optimum N*
 * lies ({@link #optimumN}), and which ladder sizes a budget trains around it ({@link #nearest},
 * {@link #bracketing}). Plain numbers in, indices out; {@link SweepDesign} turns them into runs and
 * its refusals into config errors.
 */
final class IsoFlopSizes {
    private IsoFlopSizes() {}

    /**
     * N at which a budget is compute-optimal under the rule: interpolates log N against log C_opt
     * over the ladder (C_opt = F(N) r N, increasing with N), extrapolating the end segments.
     */
    static double optimumN(double[] n, double[] cOpt, double budget) {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < n.length; i++) {
            pts.add(new double[] {Math.log(cOpt[i]), Math.log(n[i])});
        }
        pts.sort(Comparator.comparingDouble(p -> p[0]));
        List<double[]> inc = new ArrayList<>();
        for (double[] p : pts) {
            if (inc.isEmpty() || p[0] > inc.get(inc.size() - 1)[0] && p[1] > inc.get(inc.size() - 1)[1]) {
                inc.add(p);
            }
        }
        double x = Math.log(budget);
        if (inc.size() == 1) {
            return Math.exp(inc.get(0)[1] + 0.5 * (x - inc.get(0)[0])); // C ~ N^2 at a fixed D/N
        }
        int i = 1;
        while (i < inc.size() - 1 && x > inc.get(i)[0]) {
            i++;
        }
        double[] a = inc.get(i - 1);
        double[] b = inc.get(i);
        return Math.exp(a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]));
    }

    /**
     * Indices of the k distinct ladder sizes nearest in log N to N* spread^j, j = -(k-1)/2 .. (k-1)/2,
     * chosen from the centre outwards; sorted by N. Throws if they all lie on one side of N*.
     */
    static List<Integer> bracketing(double[] n, double nStar, int k, double spread) {
        if (n.length < k) {
            throw new IllegalArgumentException("the ladder has " + n.length + " shapes, fewer than " + k);
        }
        List<Integer> chosen = nearest(n, nStar, k, spread);
        if (k > 1) {
            if (n[chosen.get(k - 1)] <= nStar) {
                throw new IllegalArgumentException("the expected optimum N* = " + Numbers.si(nStar)
                        + " is above every chosen ladder size (largest " + Numbers.si(n[chosen.get(k - 1)])
                        + "): too few shapes above it, so its IsoFLOP minimum could not be interior");
            }
            if (n[chosen.get(0)] >= nStar) {
                throw new IllegalArgumentException("the expected optimum N* = " + Numbers.si(nStar)
                        + " is below every chosen ladder size (smallest " + Numbers.si(n[chosen.get(0)])
                        + "): too few shapes below it, so its IsoFLOP minimum could not be interior");
            }
        }
        return chosen;
    }

    /** The k distinct ladder sizes nearest in log N to N* spread^j, from the centre outwards; sorted by N. */
    static List<Integer> nearest(double[] n, double nStar, int k, double spread) {
        List<Double> offsets = new ArrayList<>();
        for (int j = 0; j < k; j++) {
            offsets.add(j - (k - 1) / 2.0);
        }
        offsets.sort(Comparator.comparingDouble((Double o) -> Math.abs(o)).thenComparingDouble(o -> o));
        List<Integer> chosen = new ArrayList<>();
        for (double o : offsets) {
            double target = Math.log(nStar) + o * Math.log(spread);
            int best = -1;
            for (int i = 0; i < n.length; i++) {
                if (!chosen.contains(i) && (best < 0
                        || Math.abs(Math.log(n[i]) - target) < Math.abs(Math.log(n[best]) - target))) {
                    best = i;
                }
            }
            chosen.add(best);
        }
        chosen.sort(Comparator.comparingDouble(i -> n[i]));
        return chosen;
    }
}
