package org.scalinglab.fit.phenomena;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scalinglab.fit.approach.PowerLaw;
import org.scalinglab.fit.optim.Parallel;
import org.scalinglab.fit.phenomena.Phenomena.CriticalBatch;
import org.scalinglab.fit.phenomena.Phenomena.RunNoise;

/**
 * The critical-batch lens of {@link Phenomena}: B_crit(L) = B* / L^(1/alpha_B) fitted to the noise scale
 * rows of every run, with intervals from resampling whole runs, and each run's batch against it.
 */
final class CriticalBatchFit {
    /** The rows of a run the critical batch fit leaves out: the first tenth, while the moving averages settle. */
    static final double NOISE_SETTLE = 0.1;

    private final Intervals intervals;

    CriticalBatchFit(Intervals intervals) {
        this.intervals = intervals;
    }

    /** The law, its intervals and each run against it; a reason in place of the law where it cannot be fitted. */
    CriticalBatch fit(List<RunMetrics> runs) {
        List<RunMetrics> with = runs.stream().filter(r -> !r.noise().isEmpty()).toList();
        List<double[]> pts = new ArrayList<>();
        List<Integer> runOf = new ArrayList<>();
        for (int i = 0; i < with.size(); i++) {
            RunMetrics r = with.get(i);
            for (RunMetrics.Noise n : r.noise()) {
                if (n.step() >= NOISE_SETTLE * r.steps()) {
                    pts.add(new double[] {n.trainLoss(), n.bSimple()});
                    runOf.add(i);
                }
            }
        }
        PowerLaw law = pts.size() >= 3 ? PowerLaw.fit(pts.stream().mapToDouble(p -> p[0]).toArray(),
                pts.stream().mapToDouble(p -> p[1]).toArray()) : null;
        String reason = with.isEmpty() ? "no run measured the gradient noise scale (it needs train.grad_accum >= 2)"
                : law == null ? "too few rows with a noise scale (" + pts.size() + ")"
                : law.exponent() >= 0 ? String.format(Locale.ROOT, "B_simple does not grow as the loss falls "
                        + "(fitted exponent of L %+.3f)", law.exponent()) : null;
        boolean ok = reason == null;
        Map<String, List<Double>> ci = Map.of();
        if (ok && intervals.enabled() && with.size() >= 2) {
            int[] group = runOf.stream().mapToInt(Integer::intValue).toArray();
            int[][] counts = intervals.resampleCounts(with.size());
            List<double[]> samples = Parallel.map(counts.length, Parallel.defaultThreads(), rep -> {
                List<Double> l = new ArrayList<>();
                List<Double> b = new ArrayList<>();
                for (int k = 0; k < group.length; k++) {
                    for (int c = 0; c < counts[rep][group[k]]; c++) {
                        l.add(pts.get(k)[0]);
                        b.add(pts.get(k)[1]);
                    }
                }
                PowerLaw p = l.size() >= 3 ? PowerLaw.fit(l.stream().mapToDouble(Double::doubleValue).toArray(),
                        b.stream().mapToDouble(Double::doubleValue).toArray()) : null;
                return p == null || p.exponent() >= 0 ? null : new double[] {p.coefficient(), -1 / p.exponent()};
            });
            ci = intervals.collect(samples, "b_star", "alpha_B");
        }
        Double bStar = ok ? law.coefficient() : null;
        Double alpha = ok ? -1 / law.exponent() : null;
        List<RunNoise> per = new ArrayList<>();
        for (RunMetrics r : with) {
            RunMetrics.Noise last = r.noise().get(r.noise().size() - 1);
            Double crit = ok ? bStar * Math.pow(r.finalLoss(), -1 / alpha) : null;
            per.add(new RunNoise(r.id(), r.params(), r.layers(), r.tokensPerStep(), r.finalLoss(), last.bSimple(), crit,
                    crit == null ? null : r.tokensPerStep() / crit,
                    r.noise().stream().map(n -> new double[] {n.tokens(), n.bSimple(), n.trainLoss()}).toList()));
        }
        return new CriticalBatch(with.size(), pts.size(), bStar, alpha, ci,
                ok ? 1 - Math.pow(2, -alpha) : null, per, pts, reason);
    }
}
