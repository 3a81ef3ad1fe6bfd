package org.scalinglab.report;

import static org.scalinglab.report.PlotData.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.approach.BudgetGrouping;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.text.Numbers;

/** Figure 4: the best loss at each budget and the fitted loss laws extrapolated beyond the sweep. */
final class LossFrontierFigure {
    private final ReportData data;

    LossFrontierFigure(ReportData data) {
        this.data = data;
    }

    Figure draw() {
        RunTable t = data.table();
        if (t == null || t.size() == 0) {
            return Figure.absent("no completed runs with a final loss");
        }
        List<Frontier> withLoss = Frontier.of(data.fit()).stream().filter(f -> f.loss() != null
                && !f.key().equals(Approach.KAPLAN.key())).toList();
        // an unidentified law's frontier is where its optimiser stopped: left out, and the caption says so
        List<Frontier> fronts = withLoss.stream().filter(Frontier::identified).toList();
        String leftOut = withLoss.stream().filter(f -> !f.identified())
                .map(f -> f.label() + " (" + f.unidentified() + ")").collect(java.util.stream.Collectors.joining("; "));
        double[] cr = data.sweepCompute();
        if (cr == null) {
            return Figure.absent("no run with a positive compute");
        }
        double[] cs = logspace(cr[0] / 2, cr[1] * Figures.EXTRAPOLATE, 90);
        XYChart c = Charts.chart("Loss frontier: best loss against compute, extrapolated "
                + Numbers.sig4(Figures.EXTRAPOLATE)
                + "x", "training FLOPs C (" + data.flopKey() + " convention)", "final validation loss", true, true);
        double[] range = {cs[0], cs[cs.length - 1], Double.MAX_VALUE, 0};
        List<Charts.Band> bands = new ArrayList<>();
        for (Frontier f : fronts) {
            double[][] b = Frontier.band(f.lossSamples(), cs, data.level());
            bands.add(new Charts.Band(f.label() + " " + data.levelText() + " band", cs, b[0], b[1], f.color()));
        }
        Charts.bands(c, bands);
        Charts.points(c, "runs", t.flops(), t.losses(), Charts.LIGHT_GREY, Charts.CIRCLE);
        extend(range, null, t.losses());
        BudgetGrouping.Assignment g = BudgetGrouping.assign(t);
        List<double[]> best = new ArrayList<>();
        for (int k = 0; k < g.count(); k++) {
            int[] members = g.members(k);
            int arg = members[0];
            for (int i : members) {
                if (t.get(i).loss() < t.get(arg).loss()) {
                    arg = i;
                }
            }
            best.add(new double[] {t.get(arg).flops(), t.get(arg).loss()});
        }
        Charts.points(c, "best run per budget", column(best, 0), column(best, 1), Charts.INK, Charts.SQUARE);
        StringBuilder what = new StringBuilder();
        for (Frontier f : fronts) {
            String name = f.key().equals(Approach.ISOFLOP.key()) ? "approach 2 loss_opt law" : f.label() + " L(N_opt, D_opt)";
            Charts.lawLine(c, name, cs, f.loss(), cr[1], f.color());
            extend(range, null, Arrays.stream(cs).map(f.loss()).toArray());
            double[] at = {cr[1] * 10, cr[1] * Figures.EXTRAPOLATE};
            what.append(what.length() == 0 ? "" : "; ").append(name).append(": ")
                    .append(Numbers.sig4(f.loss().applyAsDouble(at[0]))).append(" at 10x, ")
                    .append(Numbers.sig4(f.loss().applyAsDouble(at[1]))).append(" at 100x");
        }
        Charts.clampLogY(c, range);
        Charts.fitLogTicks(c, range[0], range[1], range[2], range[3]);
        String caption = String.format(Locale.ROOT, "Grey: every completed run; black squares: the lowest loss at "
                + "each budget (%s). %s Solid over the sweep, dashed beyond its largest compute (%s) to %sx, with "
                + "%s bootstrap bands.%s", g.rule(), fronts.isEmpty() ? "No identified loss law to extrapolate"
                + (data.notFitted().isEmpty() ? "." : " (" + String.join("; ", data.notFitted()) + ").") : "Lines: " + what + ".", Numbers.sig4(cr[1]),
                Numbers.sig4(Figures.EXTRAPOLATE), data.levelText(), fronts.stream().anyMatch(f -> f.key().equals(Approach.ISOFLOP.key()))
                        ? " Approach 2's loss law has no irreducible term: it is trustworthy only near the sweep." : "")
                + (leftOut.isEmpty() ? "" : " Not drawn, as the data do not identify them: " + leftOut + ".");
        return Figure.chart(c, caption);
    }
}
