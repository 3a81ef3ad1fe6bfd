package org.scalinglab.fit.optim;

import java.util.List;
import java.util.Locale;

/**
 * How a multi-start L-BFGS fit went: the best run's iterations, evaluations, gradient norm and stop
 * reason, and how many starts there were, how many converged, and how many reached the best objective
 * (within a relative 1e-6).
 */
public record OptimizerDiagnostics(
        int iterations,
        int evaluations,
        double gradientNorm,
        boolean converged,
        String stopReason,
        int bestStartIndex,
        double[] bestStart,
        int startsTotal,
        int startsConverged,
        int startsAtBest,
        double gradientTolerance,
        int memory) {

    /** The diagnostics of a multi-start fit from its starts' results, as Kaplan's fit and approach 3 record them. */
    public static OptimizerDiagnostics of(List<Lbfgs.Result> runs, int best, double[] bestStart, Lbfgs opt) {
        return of(runs, best, bestStart, opt.gradientTolerance(), opt.memory());
    }

    /** The same from a {@link BoxLbfgs} fit's starts. */
    public static OptimizerDiagnostics of(List<Lbfgs.Result> runs, int best, double[] bestStart, BoxLbfgs opt) {
        return of(runs, best, bestStart, opt.gradientTolerance(), opt.memory());
    }

    private static OptimizerDiagnostics of(List<Lbfgs.Result> runs, int best, double[] bestStart,
            double gradientTolerance, int memory) {
        Lbfgs.Result r = runs.get(best);
        int converged = 0;
        int atBest = 0;
        for (Lbfgs.Result x : runs) {
            if (x.converged()) {
                converged++;
            }
            if (Double.isFinite(x.value()) && x.value() - r.value() <= 1e-6 * Math.abs(r.value())) {
                atBest++;
            }
        }
        return new OptimizerDiagnostics(r.iterations(), r.evaluations(), r.gradientNorm(), r.converged(),
                r.stopReason().name().toLowerCase(Locale.ROOT), best, bestStart, runs.size(), converged,
                atBest, gradientTolerance, memory);
    }

    /** Index of the lowest finite value; ties go to the lowest index. -1 if none is finite. */
    public static int best(List<Lbfgs.Result> runs) {
        int best = -1;
        for (int i = 0; i < runs.size(); i++) {
            double v = runs.get(i).value();
            if (Double.isFinite(v) && (best < 0 || v < runs.get(best).value())) {
                best = i;
            }
        }
        return best;
    }
}
