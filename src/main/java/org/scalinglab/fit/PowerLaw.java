package org.scalinglab.fit;

/** y = coefficient * x^exponent, fitted by least squares on log y against log x. */
public record PowerLaw(double coefficient, double exponent) {

    /** Needs at least 2 distinct x; null otherwise. */
    public static PowerLaw fit(double[] x, double[] y) {
        int n = x.length;
        if (n < 2) {
            return null;
        }
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += Math.log(x[i]) / n;
            my += Math.log(y[i]) / n;
        }
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            double dx = Math.log(x[i]) - mx;
            sxx += dx * dx;
            sxy += dx * (Math.log(y[i]) - my);
        }
        if (!(sxx > 0)) {
            return null;
        }
        double slope = sxy / sxx;
        return new PowerLaw(Math.exp(my - slope * mx), slope);
    }

    public double value(double x) {
        return coefficient * Math.pow(x, exponent);
    }
}
