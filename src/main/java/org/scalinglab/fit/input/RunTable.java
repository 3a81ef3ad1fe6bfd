package org.scalinglab.fit.input;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * An immutable table of runs to fit, with its provenance and the FLOPs per token of the runs' shape
 * family (C = 6ND for tables that know no shapes).
 */
public final class RunTable {
    private final List<RunPoint> points;
    private final InputProvenance provenance;
    private final FlopsCurve curve;

    public RunTable(List<RunPoint> points, InputProvenance provenance) {
        this(points, provenance, FlopsCurve.sixN("", ""));
    }

    public RunTable(List<RunPoint> points, InputProvenance provenance, FlopsCurve curve) {
        this.points = List.copyOf(points);
        this.provenance = provenance.withPointsUsed(this.points.size());
        this.curve = curve;
    }

    public static RunTable of(List<RunPoint> points) {
        return new RunTable(points, InputProvenance.inMemory(points.size()));
    }

    /** C(N, D) = D x F(N) of these runs' shapes, in the table's conventions. */
    public FlopsCurve curve() {
        return curve;
    }

    public RunTable withCurve(FlopsCurve c) {
        return new RunTable(points, provenance, c);
    }

    /** The largest training compute in the table (its C convention). */
    public double maxFlops() {
        return points.stream().mapToDouble(RunPoint::flops).max().orElse(Double.NaN);
    }

    public List<RunPoint> points() {
        return points;
    }

    public RunPoint get(int i) {
        return points.get(i);
    }

    public int size() {
        return points.size();
    }

    public InputProvenance provenance() {
        return provenance;
    }

    public double[] params() {
        return points.stream().mapToDouble(RunPoint::params).toArray();
    }

    public double[] tokens() {
        return points.stream().mapToDouble(RunPoint::tokens).toArray();
    }

    public double[] flops() {
        return points.stream().mapToDouble(RunPoint::flops).toArray();
    }

    public double[] losses() {
        return points.stream().mapToDouble(RunPoint::loss).toArray();
    }

    public String[] ids() {
        return points.stream().map(RunPoint::id).toArray(String[]::new);
    }

    /**
     * Drops the {@code k} highest losses (the Chinchilla replication's outlier rule). Ties keep the
     * earlier row.
     */
    public RunTable dropHighest(int k) {
        if (k <= 0) {
            return this;
        }
        List<Integer> order = IntStream.range(0, size()).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -points.get(i).loss()).thenComparing(i -> i))
                .toList();
        boolean[] drop = new boolean[size()];
        List<InputProvenance.Dropped> dropped = new ArrayList<>();
        for (int j = 0; j < Math.min(k, size()); j++) {
            int i = order.get(j);
            drop[i] = true;
            RunPoint p = points.get(i);
            dropped.add(new InputProvenance.Dropped(p.id(), p.params(), p.tokens(), p.flops(), p.loss(),
                    "drop-highest " + k));
        }
        List<RunPoint> kept = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            if (!drop[i]) {
                kept.add(points.get(i));
            }
        }
        return new RunTable(kept, provenance.withDropped(dropped, kept.size()), curve);
    }

    /** The rows at these indices (repeats allowed), same provenance. */
    public RunTable select(int[] indices) {
        List<RunPoint> sel = new ArrayList<>(indices.length);
        for (int i : indices) {
            sel.add(points.get(i));
        }
        return new RunTable(sel, provenance, curve);
    }

    public RunTable filter(Predicate<RunPoint> keep) {
        return new RunTable(points.stream().filter(keep).toList(), provenance, curve);
    }

    public RunTable withPoints(List<RunPoint> newPoints) {
        return new RunTable(newPoints, provenance, curve);
    }
}
