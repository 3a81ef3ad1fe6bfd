package org.scalinglab.fit.phenomena;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scalinglab.text.Numbers;
import org.scalinglab.text.TextTable;

/** {@link Phenomena.Report} as the aligned text {@code scalinglab phenomena} prints. */
public final class PhenomenaText {
    private PhenomenaText() {}

    public static String render(Phenomena.Report r) {
        StringBuilder sb = new StringBuilder();
        Phenomena.Settings s = r.settings();
        sb.append(String.format(Locale.ROOT, "phenomena of %d completed runs (N %s, C %s; %d bootstrap refits, %.0f %% "
                + "intervals)%n", r.runs(), s.paramConvention(), s.flopConvention(), s.bootstrap(), 100 * s.level()));
        for (String n : r.notes()) {
            sb.append("note: ").append(n).append('\n');
        }

        sb.append("\n1. metrics on the compute frontier, and as a sigmoid of the loss (OLMo ladder, step 2)\n");
        TextTable t = new TextTable("  ", "metric", "frontier first", "last", "late share", "error c0", "c0 interval",
                "sigmoid a", "k", "L0", "b", "rms", "held out |err| (loss)", "(forecast)");
        for (Phenomena.MetricFit m : r.metrics()) {
            double[] f0 = m.frontier().get(0);
            double[] f1 = m.frontier().get(m.frontier().size() - 1);
            MetricSigmoid.Law g = m.sigmoid();
            Phenomena.Holdout h = m.holdout();
            t.row(m.metric(), f0[1], f1[1], num(m.lateShare()), m.compute() == null ? "-" : num(m.compute().c0()),
                    ci(m.computeCi(), "c0"), g == null ? "-" : num(g.a()), g == null ? "-" : num(g.k()),
                    g == null ? "-" : num(g.l0()), g == null ? "-" : num(g.b()), g == null ? "-" : num(g.rms()),
                    h == null ? "-" : num(h.meanAbsErrorFromLoss()), h == null ? "-" : num(h.meanAbsErrorFromForecast()));
        }
        sb.append(t);
        sb.append("  late share: the part of the frontier's change made in the top quarter of its ln C range; error c0: "
                + "the exponent of (1 - metric), or the metric, = a + b C^-c0 on the frontier\n");
        Phenomena.MetricFit em = r.metric("val_em_16");
        if (em != null && em.holdout() != null) {
            String by = r.broken().size() > 1 ? r.broken().get(1).groupedBy() : "budget";
            sb.append(String.format(Locale.ROOT, "  held out: the sigmoid fitted on the %d runs below the largest %s (%s) "
                    + "predicts its %d runs; val_em_16 within 2 standard errors for %d of them%n", em.holdout().trainRuns(),
                    by, Numbers.sig4(em.holdout().budget()), em.holdout().runs().size(), em.holdout().withinTwoSe()));
        }
        if (r.emergence() != null) {
            sb.append("  ").append(r.emergence()).append('\n');
        }

        sb.append("\n2. smoothly broken power law (one break) against the plain power law, rolling-origin held-out error\n");
        TextTable b = new TextTable("  ", "curve", "points", "plain held-out", "broken held-out", "winner", "break",
                "break interval", "c0", "c0 + c1");
        for (Phenomena.Curve c : r.broken()) {
            String name = c.kind().equals("frontier") ? "loss vs C, frontier"
                    : "loss vs N, " + c.groupedBy() + " " + Numbers.sig4(c.budget());
            if (c.reason() != null && c.broken() == null) {
                b.row(name, c.n(), "-", "-", "-", "-", "-", "-", "-");
                continue;
            }
            BrokenPowerLaw.Law l = c.broken() == null ? null : c.broken().law();
            b.row(name, c.n(), num(c.plainError()), num(c.brokenError()), c.reason() != null ? "-"
                    : c.brokenWins() ? "broken" : "plain", l == null ? "-" : num(l.d()), ci(c.brokenCi(), "d"),
                    l == null ? "-" : num(l.c0()), l == null ? "-" : num(l.c0() + l.c1()));
        }
        sb.append(b);
        for (Phenomena.Curve c : r.broken()) {
            String name = c.kind().equals("frontier") ? "frontier" : c.groupedBy() + " " + Numbers.sig4(c.budget());
            if (c.reason() != null || c.note() != null) {
                sb.append("  ").append(name).append(": ").append(c.reason() != null ? c.reason() : c.note())
                        .append('\n');
            }
            if (c.oneLayer() != null) {
                sb.append("  ").append(name).append(": ").append(oneLayer(c.oneLayer())).append('\n');
            }
        }

        sb.append("\n3. critical batch size from the gradient noise scale B_simple (tokens)\n");
        Phenomena.CriticalBatch cb = r.criticalBatch();
        if (cb.reason() != null) {
            sb.append("  not fitted: ").append(cb.reason()).append('\n');
        } else {
            sb.append(String.format(Locale.ROOT, "  B_crit(L) = B* / L^(1/alpha_B): B* = %s %s, alpha_B = %s %s, from %d "
                    + "rows of %d runs%n  B_crit doubles for every %.1f %% fall in loss (Kaplan et al. 2020: about 13 %%)%n",
                    Numbers.sig4(cb.bStar()), ci(cb.ci(), "b_star"), Numbers.sig4(cb.alphaB()), ci(cb.ci(), "alpha_B"),
                    cb.fittedPoints(), cb.runs(), 100 * cb.lossDropPerDoubling()));
        }
        if (!cb.perRun().isEmpty()) {
            TextTable p = new TextTable("  ", "run", "N", "layers", "batch tokens", "final loss", "last B_simple",
                    "B_crit at final loss", "batch / B_crit");
            for (Phenomena.RunNoise n : cb.perRun()) {
                p.row(n.id(), n.params(), n.layers(), n.tokensPerStep(), n.finalLoss(), num(n.lastBSimple()),
                        num(n.critical()), num(n.batchOverCritical()));
            }
            sb.append(p);
        }
        return sb.toString();
    }

    /** The 1-layer runs against the deeper runs' trend, in words. */
    public static String oneLayer(Phenomena.OneLayer o) {
        return String.format(Locale.ROOT, "%d 1-layer runs sit %+.2f %% %s the plain law of the %d deeper runs "
                + "(mean ln residual %+.4f%s; the deeper runs scatter %.4f about it)", o.oneLayerRuns(),
                100 * (Math.exp(o.meanLogResidual()) - 1), o.meanLogResidual() > 0 ? "above (worse than)" : "below",
                o.deeperRuns(), o.meanLogResidual(), o.se() == null ? "" : String.format(Locale.ROOT, " +- %.4f", o.se()),
                o.deepRms());
    }

    private static String num(Double v) {
        return v == null ? "-" : Numbers.sig4(v);
    }

    private static String ci(Map<String, List<Double>> ci, String key) {
        List<Double> v = ci == null ? null : ci.get(key);
        if (v == null || v.get(0) == null || v.get(1) == null) {
            return "-";
        }
        return "[" + Numbers.sig4(v.get(0)) + ", " + Numbers.sig4(v.get(1)) + "]";
    }
}
