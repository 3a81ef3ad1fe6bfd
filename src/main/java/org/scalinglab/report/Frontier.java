package org.scalinglab.report;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.scalinglab.fit.FitReport;
import org.scalinglab.fit.approach.ComputeOptimal;
import org.scalinglab.fit.approach.EnvelopeResult;
import org.scalinglab.fit.approach.FlopsCurve;
import org.scalinglab.fit.approach.IsoFlopResult;
import org.scalinglab.fit.approach.KaplanJointLaw;
import org.scalinglab.fit.approach.KaplanResult;
import org.scalinglab.fit.approach.ParametricLaw;
import org.scalinglab.fit.approach.ParametricResult;
import org.scalinglab.fit.approach.PowerLaw;
import org.scalinglab.fit.uncertainty.Bootstrap;
import org.scalinglab.fit.uncertainty.BootstrapSummary;
import org.scalinglab.fit.uncertainty.Predictor;

/**
 * One approach's compute-optimal frontier as functions of C: N_opt(C), D_opt(C) and, where the approach
 * models it, the loss there; each also evaluated on every bootstrap sample stored in fits.json, which
 * gives the interval bands. The samples are {@link Predictor}'s and the band {@link Bootstrap#percentileBand},
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
        double[] aInterval) {

    /** Every approach of the fit that gives N_opt(C), in the order 3, 2, 1, kaplan. */
    static List<Frontier> of(FitReport fit) {
        List<Frontier> out = new ArrayList<>();
        if (fit == null) {
            return out;
        }
        FlopsCurve curve = fit.curve();
        ParametricResult p3 = fit.approach3();
        if (p3 != null) {
            ParametricLaw law = p3.law();
            List<ParametricLaw> laws = Predictor.parametricSamples(p3);
            out.add(allocated("approach3", "approach 3", Charts.APPROACH3, law::loss,
                    laws.stream().<DoubleBinaryOperator>map(l -> l::loss).toList(), curve, p3.a(),
                    interval(p3.ci(), "a")));
        }
        IsoFlopResult p2 = fit.approach2();
        if (p2 != null && p2.nOptLaw() != null && p2.dOptLaw() != null) {
            PowerLaw loss = p2.lossOptLaw();
            out.add(new Frontier("approach2", "approach 2", Charts.APPROACH2, p2.nOptLaw()::value,
                    p2.dOptLaw()::value, loss == null ? null : loss::value,
                    powerSamples(p2.bootstrap(), "N_coefficient", "a"),
                    powerSamples(p2.bootstrap(), "D_coefficient", "b"),
                    powerSamples(p2.bootstrap(), "loss_coefficient", "loss_exponent"), p2.a(), interval(p2.ci(), "a")));
        }
        EnvelopeResult p1 = fit.approach1();
        if (p1 != null && p1.nOptLaw() != null && p1.dOptLaw() != null) {
            out.add(new Frontier("approach1", "approach 1", Charts.APPROACH1, p1.nOptLaw()::value,
                    p1.dOptLaw()::value, null, powerSamples(p1.bootstrap(), "N_coefficient", "a"),
                    powerSamples(p1.bootstrap(), "D_coefficient", "b"), List.of(), p1.a(), interval(p1.ci(), "a")));
        }
        KaplanResult k = fit.kaplan();
        if (k != null && k.joint() != null && Double.isFinite(k.joint().alphaN())) {
            KaplanJointLaw j = k.joint();
            List<KaplanJointLaw> laws = Predictor.jointSamples(k);
            double exponent = j.alphaD() / (j.alphaN() + j.alphaD());
            out.add(allocated("kaplan", "Kaplan joint", Charts.KAPLAN, j::loss,
                    laws.stream().<DoubleBinaryOperator>map(l -> l::loss).toList(), curve, exponent, null));
        }
        return out;
    }

    /** The frontier of an L(N, D) allocated under the fit's C(N, D), with its bootstrap laws'. */
    private static Frontier allocated(String key, String label, Color color, DoubleBinaryOperator law,
            List<DoubleBinaryOperator> samples, FlopsCurve curve, double a, double[] aInterval) {
        DoubleUnaryOperator[] f = ComputeOptimal.frontier(law, curve);
        List<DoubleUnaryOperator[]> fs = samples.stream().map(l -> ComputeOptimal.frontier(l, curve)).toList();
        return new Frontier(key, label, color, f[0], f[1], f[2], fs.stream().map(x -> x[0]).toList(),
                fs.stream().map(x -> x[1]).toList(), fs.stream().map(x -> x[2]).toList(), a, aInterval);
    }

    /** The bootstrap band at each x; NaN where fewer than 10 samples are finite. */
    static double[][] band(List<DoubleUnaryOperator> samples, double[] x, double level) {
        return Bootstrap.percentileBand(samples, x, level, 10);
    }

    private static List<DoubleUnaryOperator> powerSamples(BootstrapSummary b, String coefficient, String exponent) {
        return Predictor.powerLawSamples(b, coefficient, exponent).stream().<DoubleUnaryOperator>map(l -> l::value)
                .toList();
    }

    private static double[] interval(Map<String, double[]> ci, String key) {
        return ci == null ? null : ci.get(key);
    }
}
