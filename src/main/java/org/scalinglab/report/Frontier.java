package org.scalinglab.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.law.Law;
import org.scalinglab.fit.law.Laws;
import org.scalinglab.fit.optim.Bootstrap;

/**
 * One approach's compute-optimal frontier as functions of C: N_opt(C), D_opt(C) and, where the approach
 * models it, the loss there; each also evaluated on every bootstrap sample stored in fits.json, which
 * gives the interval bands. The samples are the {@link Law}'s (as predict's) and the band {@link Bootstrap#percentileBand},
 * so a band at C is the interval {@code scalinglab predict} gives at C.
 */
record Frontier(
        String key,
        String label,
        Color color,
        DoubleUnaryOperator nOpt,
        DoubleUnaryOperator dOpt,
        DoubleUnaryOperator loss,
        List<DoubleUnaryOperator> nOptSamples,
        List<DoubleUnaryOperator> dOptSamples,
        List<DoubleUnaryOperator> lossSamples,
        double a,
        double[] aInterval,
        String unidentified) {

    /** Whether the data identify the law; an unidentified one is never drawn as if it were fitted. */
    boolean identified() {
        return unidentified == null;
    }

    /** Every law of the fit, in fits.json's order (3, 2, 1, kaplan): each gives N_opt(C). */
    static List<Frontier> of(FitReport fit) {
        List<Frontier> out = new ArrayList<>();
        if (fit == null) {
            return out;
        }
        for (Law law : Laws.of(fit)) {
            Law.About a = law.about();
            out.add(new Frontier(law.key(), a.label(), Charts.color(law.key()), c -> law.optimum(c)[0],
                    c -> law.optimum(c)[1], law.hasLoss() ? c -> law.optimum(c)[2] : null,
                    law.samples().stream().<DoubleUnaryOperator>map(s -> c -> s.optimum(c)[0]).toList(),
                    law.samples().stream().<DoubleUnaryOperator>map(s -> c -> s.optimum(c)[1]).toList(),
                    law.hasLoss() ? law.samples().stream().<DoubleUnaryOperator>map(s -> c -> s.optimum(c)[2]).toList()
                            : List.of(), a.nOptExponent(), a.nOptExponentCi(),
                    law.identification().identified() ? null : law.identification().describe()));
        }
        return out;
    }

    /** The bootstrap band at each x; NaN where fewer than 10 samples are finite. */
    static double[][] band(List<DoubleUnaryOperator> samples, double[] x, double level) {
        return Bootstrap.percentileBand(samples, x, level, 10);
    }
}
