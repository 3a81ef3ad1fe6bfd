package org.scalinglab.fit.optim;

/** A smooth objective for {@link Lbfgs}: returns the value at {@code x} and writes the gradient. */
@FunctionalInterface
public interface DifferentiableFunction {
    double valueAndGradient(double[] x, double[] gradient);
}
