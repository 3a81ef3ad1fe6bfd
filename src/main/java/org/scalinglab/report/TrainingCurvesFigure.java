package org.scalinglab.report;

import static org.scalinglab.report.PlotData.*;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.scalinglab.text.Numbers;

/** Figures 1a and 1b: every run's loss curve against tokens or FLOPs, coloured by model size. */
final class TrainingCurvesFigure {
    /** Legend entries for model sizes at most; more sizes share the colour map without a label each. */
    private static final int MAX_SIZE_LEGEND = 8;

    private final ReportData data;

    TrainingCurvesFigure(ReportData data) {
        this.data = data;
    }

    /** Figure 1a (against tokens) or, {@code byFlops}, 1b (against FLOPs). */
    Figure draw(boolean byFlops) {
        List<ReportRun> withCurves = data.runs().stream().filter(r -> r.curve() != null && r.curve().size() > 0)
                .sorted(Comparator.comparingDouble((ReportRun r) -> nanLast(data.n(r)))
                        .thenComparing(r -> !r.completed()).thenComparing(ReportRun::path))
                .toList();
        if (withCurves.isEmpty()) {
            return Figure.absent("no run has a metrics.csv with evaluated losses");
        }
        // validation loss when runs have evaluations past the first; otherwise the training loss
        boolean val = withCurves.stream().anyMatch(r -> countPositive(xs(r, byFlops), r.curve().valLoss()) >= 2);
        double[] ns = withCurves.stream().mapToDouble(data::n).filter(v -> v > 0).toArray();
        double nMin = Arrays.stream(ns).min().orElse(Double.NaN);
        double nMax = Arrays.stream(ns).max().orElse(Double.NaN);
        List<Double> labelled = legendSizes(ns);
        String xTitle = byFlops ? "training FLOPs C (" + data.flopKey() + " convention)" : "tokens D";
        XYChart c = Charts.chart((val ? "Validation" : "Training") + " loss against " + (byFlops ? "FLOPs" : "tokens"),
                xTitle, (val ? "validation" : "training") + " loss (nats/token)", true, true);
        double[] range = emptyRange();
        int drawn = 0;
        int single = 0;
        java.util.Set<Double> shown = new java.util.HashSet<>();
        for (ReportRun r : withCurves) {
            double[] x = xs(r, byFlops);
            double[] y = val ? r.curve().valLoss() : r.curve().trainLoss();
            double[][] xy = finitePositive(x, y);
            if (xy[0].length == 0) {
                continue;
            }
            double n = data.n(r);
            Color col = n > 0 ? Charts.viridis(Charts.logPosition(n, nMin, nMax)) : Charts.GREY;
            boolean label = n > 0 && labelled.contains(n) && shown.add(n);
            String name = label ? "N = " + Numbers.count(n) + (r.completed() ? "" : " (not completed)")
                    : "run " + r.id() + " (" + r.path() + ")";
            XYSeries s;
            if (xy[0].length == 1) {
                // one evaluation after the start (a short run evaluated only at its end): a point, not left out
                s = Charts.points(c, name, xy[0], xy[1], col, org.knowm.xchart.style.markers.SeriesMarkers.CIRCLE);
                single++;
            } else {
                s = Charts.line(c, name, xy[0], xy[1], col, r.completed() ? Charts.THIN : Charts.THIN_DASHED);
            }
            s.setShowInLegend(label);
            extend(range, xy[0], xy[1]);
            drawn++;
        }
        if (drawn == 0) {
            return Figure.absent("no run has an evaluated loss at positive " + (byFlops ? "FLOPs" : "tokens"));
        }
        Charts.fitLogTicks(c, range[0], range[1], range[2], range[3]);
        long diverged = withCurves.stream().filter(r -> !r.completed()).count();
        String caption = String.format(Locale.ROOT, "%s loss of %d run%s against %s, log-log; colour: model size N "
                + "(%s parameters, viridis, log scale from %s to %s)%s.%s%s", val ? "Validation" : "Training", drawn,
                drawn == 1 ? "" : "s", byFlops ? "cumulative training FLOPs (" + data.flopKey() + " convention)"
                        : "tokens seen", data.paramKey().replace('_', '-'), Numbers.count(nMin), Numbers.count(nMax),
                labelled.size() < distinct(ns) ? "; the legend names " + labelled.size() + " of "
                        + distinct(ns) + " sizes" : "",
                diverged > 0 ? " Dashed: " + diverged + " run" + (diverged == 1 ? "" : "s") + " not completed (diverged, "
                        + "stopped or still training)." : "",
                single > 0 ? " Circles: " + single + " run" + (single == 1 ? "" : "s") + " evaluated once after the start "
                        + "(too short for train.eval_every; train.eval_per_decade gives every run a curve), drawn as that one "
                        + "point." : "");
        return Figure.chart(c, caption);
    }

    /** A run's curve x: cumulative FLOPs in the report's convention, or tokens. */
    private double[] xs(ReportRun r, boolean byFlops) {
        return byFlops ? r.curveFlops(data.flopConvention()) : r.curve().tokens();
    }

    /** At most {@link #MAX_SIZE_LEGEND} distinct sizes, evenly spread, smallest and largest included. */
    private static List<Double> legendSizes(double[] ns) {
        double[] d = Arrays.stream(ns).distinct().sorted().toArray();
        List<Double> out = new ArrayList<>();
        if (d.length <= MAX_SIZE_LEGEND) {
            Arrays.stream(d).forEach(out::add);
            return out;
        }
        for (int k = 0; k < MAX_SIZE_LEGEND; k++) {
            double v = d[(int) Math.round(k * (d.length - 1) / (double) (MAX_SIZE_LEGEND - 1))];
            if (!out.contains(v)) {
                out.add(v);
            }
        }
        return out;
    }
}
