package org.scalinglab.fit.phenomena;

import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/** Budgets of the runs: their IsoFLOP budgets when every run has one, else their token counts (a grid). */
record Groups(String by, double[] values, int[] ofRun) {
    int count() {
        return values.length;
    }

    static Groups of(List<RunMetrics> runs) {
        boolean budgets = !runs.isEmpty() && runs.stream().allMatch(r -> r.budget() > 0);
        TreeMap<Double, Integer> index = new TreeMap<>();
        double[] key = new double[runs.size()];
        for (int i = 0; i < key.length; i++) {
            double v = budgets ? runs.get(i).budget() : runs.get(i).tokens();
            Double near = null;
            for (double k : index.keySet()) {
                if (Math.abs(k - v) <= 1e-6 * Math.max(Math.abs(k), Math.abs(v))) {
                    near = k;
                }
            }
            key[i] = near != null ? near : v;
            index.putIfAbsent(key[i], 0);
        }
        double[] vals = index.keySet().stream().mapToDouble(Double::doubleValue).toArray();
        int[] of = new int[key.length];
        for (int i = 0; i < key.length; i++) {
            of[i] = Arrays.binarySearch(vals, key[i]);
        }
        return new Groups(budgets ? "budget" : "tokens", vals, of);
    }
}
