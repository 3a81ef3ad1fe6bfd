package org.scalinglab.fit.approach;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * A Kaplan single-variable law L(X) = (X_c/X)^alpha + E for X = N, D or C (E = 0 unless the irreducible
 * offset was asked for), with the frontier points it was fitted to ({@code [x, loss]} pairs).
 */
@JsonPropertyOrder({"variable", "X_c", "alpha", "E", "n_points", "points"})
public record KaplanLaw(
        String variable,
        @JsonProperty("X_c") double scale,
        double alpha,
        @JsonProperty("E") double offset,
        int nPoints,
        List<double[]> points) {

    public double loss(double x) {
        return Math.pow(scale / x, alpha) + offset;
    }
}
