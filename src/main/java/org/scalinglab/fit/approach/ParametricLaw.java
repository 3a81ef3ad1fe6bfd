package org.scalinglab.fit.approach;

import java.util.List;

/**
 * Chinchilla's parametric law L(N, D) = E + A/N^alpha + B/D^beta and its closed-form compute-optimal
 * allocation under C = 6ND (Hoffmann et al. 2022, eq. 4): N_opt = G (C/6)^a, D_opt = G^-1 (C/6)^b with
 * G = (alpha A / (beta B))^(1/(alpha+beta)), a = beta/(alpha+beta), b = alpha/(alpha+beta).
 */
public record ParametricLaw(double E, double A, double B, double alpha, double beta) {
    /** The quantities a bootstrap of this law samples, in {@link #sampled()}'s order (fits.json's samples keys). */
    public static final List<String> SAMPLED = List.of("E", "A", "B", "alpha", "beta", "a", "b", "G");

    /** From the optimiser's coordinates (log A, log B, log E, alpha, beta). */
    public static ParametricLaw fromLogParameters(double[] x) {
        return new ParametricLaw(Math.exp(x[2]), Math.exp(x[0]), Math.exp(x[1]), x[3], x[4]);
    }

    /** The values of {@link #SAMPLED}. */
    public double[] sampled() {
        return new double[] {E, A, B, alpha, beta, a(), b(), G()};
    }

    public double[] logParameters() {
        return new double[] {Math.log(A), Math.log(B), Math.log(E), alpha, beta};
    }

    public double loss(double n, double d) {
        return E + A / Math.pow(n, alpha) + B / Math.pow(d, beta);
    }

    public double a() {
        return beta / (alpha + beta);
    }

    public double b() {
        return alpha / (alpha + beta);
    }

    public double G() {
        return Math.pow(alpha * A / (beta * B), 1 / (alpha + beta));
    }

    public double optimalParams(double c) {
        return G() * Math.pow(c / 6, a());
    }

    public double optimalTokens(double c) {
        return Math.pow(c / 6, b()) / G();
    }
}
