package org.scalinglab.fit.approach;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.scalinglab.fit.input.RunTable;

/**
 * Which IsoFLOP budget each run belongs to, for approach 2. A run's own budget is used when it has one
 * (result.json's {@code budget}, or the {@code --budget-col} column). The others are grouped by their
 * FLOPs C: if C takes few distinct values (at most half as many as there are runs, equal within a
 * relative 1e-6), each value is a budget; otherwise log10 C is sorted and cut wherever two neighbours
 * are more than {@value #GAP_DECADES} decades apart (a factor of about 1.26), each cluster's budget
 * being its geometric mean.
 */
public final class BudgetGrouping {
    /** The gap in log10 C that separates two budgets; FitSettings records it. */
    public static final double GAP_DECADES = 0.1;

    private BudgetGrouping() {}

    /** Budgets in increasing order, each point's index into them, and the rule that was applied. */
    public record Assignment(double[] budgets, int[] groupOfPoint, String rule) {
        public int count() {
            return budgets.length;
        }

        public int[] members(int g) {
            int[] out = new int[groupOfPoint.length];
            int k = 0;
            for (int i = 0; i < groupOfPoint.length; i++) {
                if (groupOfPoint[i] == g) {
                    out[k++] = i;
                }
            }
            return Arrays.copyOf(out, k);
        }
    }

    public static Assignment assign(RunTable table) {
        int n = table.size();
        double[] budget = new double[n];
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            budget[i] = table.get(i).budget();
            if (!table.get(i).hasBudget()) {
                free.add(i);
            }
        }
        String rule;
        if (free.isEmpty()) {
            rule = "each run's own budget";
        } else {
            double[] c = free.stream().mapToDouble(i -> table.get(i).flops()).toArray();
            double[] levels = levels(c, 1e-6);
            String how;
            double[] assigned;
            if (levels.length * 2 <= c.length) {
                assigned = snap(c, levels, 1e-6);
                how = "distinct values of C (" + levels.length + " levels) are the budgets";
            } else {
                assigned = cluster(c);
                how = "log10 C clustered at gaps over " + GAP_DECADES + " decade, budget = geometric mean";
            }
            for (int k = 0; k < free.size(); k++) {
                budget[free.get(k)] = assigned[k];
            }
            rule = free.size() == n ? how : "each run's own budget; for runs without one, " + how;
        }
        double[] budgets = levels(budget, 1e-9);
        double[] snapped = snap(budget, budgets, 1e-9);
        int[] group = new int[n];
        for (int i = 0; i < n; i++) {
            group[i] = Arrays.binarySearch(budgets, snapped[i]);
        }
        return new Assignment(budgets, group, rule);
    }

    /** Sorted distinct values, merging neighbours equal within a relative tolerance. */
    static double[] levels(double[] v, double rel) {
        double[] s = v.clone();
        Arrays.sort(s);
        List<Double> out = new ArrayList<>();
        for (double x : s) {
            if (out.isEmpty() || x - out.get(out.size() - 1) > rel * Math.abs(x)) {
                out.add(x);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] snap(double[] v, double[] levels, double rel) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double best = levels[0];
            for (double l : levels) {
                if (Math.abs(l - v[i]) < Math.abs(best - v[i])) {
                    best = l;
                }
            }
            out[i] = Math.abs(best - v[i]) <= rel * Math.abs(v[i]) ? best : v[i];
        }
        return out;
    }

    private static double[] cluster(double[] c) {
        Integer[] order = new Integer[c.length];
        for (int i = 0; i < c.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> Double.compare(c[i], c[j]));
        double[] out = new double[c.length];
        int start = 0;
        for (int k = 1; k <= c.length; k++) {
            boolean cut = k == c.length
                    || Math.log10(c[order[k]]) - Math.log10(c[order[k - 1]]) > GAP_DECADES;
            if (cut) {
                double logSum = 0;
                for (int j = start; j < k; j++) {
                    logSum += Math.log(c[order[j]]);
                }
                double g = Math.exp(logSum / (k - start));
                for (int j = start; j < k; j++) {
                    out[order[j]] = g;
                }
                start = k;
            }
        }
        return out;
    }
}
