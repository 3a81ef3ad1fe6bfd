package org.scalinglab.forecast;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.scalinglab.fit.approach.ComputeOptimal;
import org.scalinglab.fit.approach.FlopsCurve;
import org.scalinglab.fit.approach.PowerLaw;

/**
 * A scaling law as a forecast uses it: either a loss L(N, D) (approach 3, Kaplan's joint law, a published
 * law), whose compute-optimal allocation is the minimum of L(N, C / F(N)), or only the compute-optimal
 * frontier N_opt(C), D_opt(C) and perhaps loss_opt(C) (approaches 2 and 1). C is counted in the law's own
 * convention, {@link #curve()}.
 */
public sealed interface Law permits Law.Joint, Law.Frontier {

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

    /** L(N, D) allocated numerically under the law's FLOPs curve. */
    record Joint(DoubleBinaryOperator lossFunction, double floor, FlopsCurve curve) implements Law {
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

        /** The same law trained on D' = effective(D) tokens' worth of fresh data (repeated data). */
        public Joint withEffectiveTokens(DoubleUnaryOperator effective) {
            DoubleBinaryOperator l = lossFunction;
            return new Joint((n, d) -> l.applyAsDouble(n, effective.applyAsDouble(d)), floor, curve);
        }
    }

    /** Power laws of the compute-optimal frontier; {@code lossOpt} null when the approach gives no loss. */
    record Frontier(PowerLaw nOpt, PowerLaw dOpt, PowerLaw lossOpt, FlopsCurve curve) implements Law {
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
