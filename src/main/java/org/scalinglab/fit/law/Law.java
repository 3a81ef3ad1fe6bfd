package org.scalinglab.fit.law;

import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.scalinglab.fit.approach.ComputeOptimal;
import org.scalinglab.fit.approach.PowerLaw;
import org.scalinglab.fit.input.FlopsCurve;
import org.scalinglab.fit.input.RunTable;

/**
 * A scaling law as every consumer uses it (predict, forecast, the report's frontiers, the validations,
 * the check stage, the ranking): either a loss L(N, D) (approach 3, Kaplan's joint law, a published
 * law), whose compute-optimal allocation is the minimum of L(N, C / F(N)) under the fit's own FLOPs
 * curve, or only the compute-optimal frontier N_opt(C), D_opt(C) and perhaps loss_opt(C) (approaches 2
 * and 1). Each carries its bootstrap laws, which give every interval, and whether the data identify its
 * exponents. Consumers ask a law these questions and never switch on its name; {@link Laws} makes the
 * laws of a fit.
 */
public sealed interface Law permits Law.Joint, Law.Frontier {

    /**
     * What a law is and how it was fitted.
     *
     * @param key the fits.json section ({@code approach3}, {@code kaplan}, ...) or a published law's name
     * @param label how text names it ({@code approach 3}, {@code Kaplan joint})
     * @param form what it models, as predictions' notes say ({@code L(N, D)}, {@code power laws of ...})
     * @param summary its fitted values in one line, for a forecast's header
     * @param maxFittedFlops the largest C it was fitted on, in its convention; NaN when unknown
     * @param fittedRange where {@code maxFittedFlops} comes from
     * @param nOptExponent the exponent a of N_opt ~ C^a (NaN when it has none)
     * @param nOptExponentCi its bootstrap interval; null when not recorded
     */
    record About(String key, String label, String form, String summary, double maxFittedFlops, String fittedRange,
            double nOptExponent, double[] nOptExponentCi, Identification identification) {}

    About about();

    default String key() {
        return about().key();
    }

    /** Whether the data identify its exponents ({@link Identification}); an unidentified law is never recommended. */
    default Identification identification() {
        return about().identification();
    }

    /** The law's C(N, D) = D x F(N). */
    FlopsCurve curve();

    /** Whether the law gives the loss of any (N, D), not just of the compute-optimal ones. */
    boolean hasJoint();

    /** Whether the law gives a loss at all. */
    boolean hasLoss();

    /** L(N, D); NaN for a frontier-only law. */
    double loss(double n, double d);

    /** {N_opt, D_opt, loss there} at budget C (the loss NaN when the law has none). */
    double[] optimum(double c);

    /** No budget goes below this loss: E, or 0 for a law without an irreducible term. */
    double floor();

    /** The bootstrap laws whose refit succeeded (each with no samples of its own); empty without a bootstrap. */
    List<Law> samples();

    /**
     * L(N, D) allocated numerically under the law's FLOPs curve.
     *
     * @param parameters the law's free parameters (for the prediction interval's residual inflation)
     * @param logResiduals log L_hat - log L of the runs it was fitted on, when the fit stored them; else null and
     *     {@link #residuals} computes them from the runs
     */
    record Joint(About about, DoubleBinaryOperator lossFunction, double floor, FlopsCurve curve, int parameters,
            double[] logResiduals, List<Law> samples) implements Law {

        /** A bootstrap law: the central law's description, no samples or residuals of its own. */
        public static Joint sample(About about, DoubleBinaryOperator loss, double floor, FlopsCurve curve) {
            return new Joint(about, loss, floor, curve, 0, null, List.of());
        }

        @Override
        public boolean hasJoint() {
            return true;
        }

        @Override
        public boolean hasLoss() {
            return true;
        }

        @Override
        public double loss(double n, double d) {
            return lossFunction.applyAsDouble(n, d);
        }

        @Override
        public double[] optimum(double c) {
            double[] o = ComputeOptimal.allocate(lossFunction, curve, c);
            return new double[] {o[0], o[1], loss(o[0], o[1])};
        }

        /** log L_hat - log L of the fitted runs: the stored ones, else the law's on {@code fitted}. */
        public double[] residuals(RunTable fitted) {
            if (logResiduals != null) {
                return logResiduals;
            }
            return fitted.points().stream().mapToDouble(p -> Math.log(loss(p.params(), p.tokens())) - Math.log(p.loss()))
                    .toArray();
        }

        /** The bootstrap prediction interval of one run's loss ({@code PredictionInterval}'s draws). */
        public List<DoubleBinaryOperator> sampleLosses() {
            return samples.stream().<DoubleBinaryOperator>map(s -> s::loss).toList();
        }

        /** The same law trained on D' = effective(D) tokens' worth of fresh data (repeated data). */
        public Joint withEffectiveTokens(DoubleUnaryOperator effective) {
            DoubleBinaryOperator l = lossFunction;
            return new Joint(about, (n, d) -> l.applyAsDouble(n, effective.applyAsDouble(d)), floor, curve, parameters,
                    logResiduals, samples);
        }
    }

    /** Power laws of the compute-optimal frontier; {@code lossOpt} null when the approach gives no loss. */
    record Frontier(About about, PowerLaw nOpt, PowerLaw dOpt, PowerLaw lossOpt, FlopsCurve curve, List<Law> samples)
            implements Law {
        @Override
        public boolean hasJoint() {
            return false;
        }

        @Override
        public boolean hasLoss() {
            return lossOpt != null;
        }

        @Override
        public double loss(double n, double d) {
            return Double.NaN;
        }

        @Override
        public double[] optimum(double c) {
            return new double[] {nOpt.value(c), dOpt.value(c), lossOpt == null ? Double.NaN : lossOpt.value(c)};
        }

        @Override
        public double floor() {
            return 0;
        }
    }
}
