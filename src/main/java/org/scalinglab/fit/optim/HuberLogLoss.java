package org.scalinglab.fit.optim;

import java.util.Arrays;

/**
 * Chinchilla's appendix D.2 objective for L(N, D) = E + A/N^alpha + B/D^beta, in its log-sum-exp form:
 * with parameters {@code x = (a, b, e, alpha, beta)} = (log A, log B, log E, alpha, beta),
 * {@code log L_hat = LSE(a - alpha log N, b - beta log D, e)} and the objective is the <b>sum</b> over
 * points of {@code Huber_delta(log L_hat - log L)}, each point weighted (a bootstrap resample is the
 * same points with integer weights). The gradient is analytic.
 */
public final class HuberLogLoss implements DifferentiableFunction {
    private final double[] logN;
    private final double[] logD;
    private final double[] logL;
    private final double[] weight;
    private final double delta;

    private HuberLogLoss(double[] logN, double[] logD, double[] logL, double[] weight, double delta) {
        this.logN = logN;
        this.logD = logD;
        this.logL = logL;
        this.weight = weight;
        this.delta = delta;
    }

    /** Every point with weight 1. */
    public static HuberLogLoss of(double[] n, double[] d, double[] loss, double delta) {
        double[] w = new double[n.length];
        Arrays.fill(w, 1);
        return weighted(n, d, loss, w, delta);
    }

    /** Points with weight 0 are left out, so a sparse resample costs only its distinct points. */
    public static HuberLogLoss weighted(double[] n, double[] d, double[] loss, double[] w, double delta) {
        int m = 0;
        for (double v : w) {
            if (v != 0) {
                m++;
            }
        }
        double[] ln = new double[m];
        double[] ld = new double[m];
        double[] ll = new double[m];
        double[] ww = new double[m];
        for (int i = 0, j = 0; i < n.length; i++) {
            if (w[i] != 0) {
                ln[j] = Math.log(n[i]);
                ld[j] = Math.log(d[i]);
                ll[j] = Math.log(loss[i]);
                ww[j] = w[i];
                j++;
            }
        }
        return new HuberLogLoss(ln, ld, ll, ww, delta);
    }

    public int size() {
        return logN.length;
    }

    @Override
    public double valueAndGradient(double[] x, double[] g) {
        double a = x[0];
        double b = x[1];
        double e = x[2];
        double alpha = x[3];
        double beta = x[4];
        double f = 0;
        double ga = 0;
        double gb = 0;
        double ge = 0;
        double gAlpha = 0;
        double gBeta = 0;
        for (int i = 0; i < logN.length; i++) {
            double t1 = a - alpha * logN[i];
            double t2 = b - beta * logD[i];
            // factor out the largest term; its exponential is 1, so two exp calls per point, not three
            double m;
            double e1;
            double e2;
            double e3;
            if (t1 >= t2 && t1 >= e) {
                m = t1;
                e1 = 1;
                e2 = Math.exp(t2 - m);
                e3 = Math.exp(e - m);
            } else if (t2 >= e) {
                m = t2;
                e1 = Math.exp(t1 - m);
                e2 = 1;
                e3 = Math.exp(e - m);
            } else {
                m = e;
                e1 = Math.exp(t1 - m);
                e2 = Math.exp(t2 - m);
                e3 = 1;
            }
            double sum = e1 + e2 + e3;
            double r = m + Math.log(sum) - logL[i];
            double w = weight[i];
            double dr;
            if (Math.abs(r) <= delta) {
                f += w * 0.5 * r * r;
                dr = w * r;
            } else {
                f += w * delta * (Math.abs(r) - 0.5 * delta);
                dr = w * Math.copySign(delta, r);
            }
            double k = dr / sum;
            ga += k * e1;
            gb += k * e2;
            ge += k * e3;
            gAlpha -= k * e1 * logN[i];
            gBeta -= k * e2 * logD[i];
        }
        g[0] = ga;
        g[1] = gb;
        g[2] = ge;
        g[3] = gAlpha;
        g[4] = gBeta;
        return f;
    }

    /** The residuals {@code log L_hat - log L} at {@code x}, one per (non-zero-weight) point. */
    public double[] residuals(double[] x) {
        double[] r = new double[logN.length];
        for (int i = 0; i < r.length; i++) {
            double t1 = x[0] - x[3] * logN[i];
            double t2 = x[1] - x[4] * logD[i];
            double m = Math.max(x[2], Math.max(t1, t2));
            r[i] = m + Math.log(Math.exp(t1 - m) + Math.exp(t2 - m) + Math.exp(x[2] - m)) - logL[i];
        }
        return r;
    }
}
