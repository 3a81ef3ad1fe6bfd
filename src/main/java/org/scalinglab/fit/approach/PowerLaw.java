package org.scalinglab.fit.approach;

import static org.scalinglab.io.JsonRules.*;

import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.scalinglab.io.JsonRules.Rule;

/** y = coefficient * x^exponent, fitted by least squares on log y against log x. */
public record PowerLaw(double coefficient, double exponent) {

    /** Needs at least 2 distinct x; null otherwise. */
    public static PowerLaw fit(double[] x, double[] y) {
        SimpleRegression r = logLog(x, y);
        if (r.getN() < 2 || !(r.getXSumSquares() > 0)) {
            return null;
        }
        return new PowerLaw(Math.exp(r.getIntercept()), r.getSlope());
    }

    /**
     * The least-squares line of ln y on ln x (Commons Math): its slope is the exponent and its
     * intercept the log of the coefficient, each with a standard error for the callers that give an
     * interval (the learning-rate rule).
     */
    static SimpleRegression logLog(double[] x, double[] y) {
        SimpleRegression r = new SimpleRegression();
        for (int i = 0; i < x.length; i++) {
            r.addData(Math.log(x[i]), Math.log(y[i]));
        }
        return r;
    }

    public double value(double x) {
        return coefficient * Math.pow(x, exponent);
    }

    /** An exponent in the physical range of a scaling law: the quantity grows (or the loss falls) with scale. */
    public static final Rule EXPONENT = number(d -> d > 0,
            "must be > 0 (a non-positive exponent is outside the physical range)");

    /** The JSON of a law whose exponent passes {@code exponent}. */
    static Rule rules(Rule exponent) {
        return object().require("coefficient", positive()).require("exponent", exponent);
    }
}
