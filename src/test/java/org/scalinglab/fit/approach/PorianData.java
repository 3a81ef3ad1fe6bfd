package org.scalinglab.fit.approach;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.scalinglab.fit.ValidationData;
import org.scalinglab.fit.input.ReadOptions;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.input.RunTableReader;

/**
 * Porian et al.'s IsoFLOP points and the repository's own optima (validation/SOURCES.md), and the
 * exponent the repository reports for each config: its weighted least-squares fit of ln N_opt on ln C,
 * weight 1 / n_star_std^2 ({@code power_law_fit(..., weighted=True)} in its analysis.py).
 */
final class PorianData {
    static final String POINTS = "porian_isoflop_points.csv";
    static final String OPTIMA = "porian_isoflop_optima.csv";

    private PorianData() {}

    /** The 15 configs, in the points file's order. */
    static List<String> configs() {
        List<String> lines = lines(POINTS);
        LinkedHashSet<String> configs = new LinkedHashSet<>();
        for (String line : lines.subList(1, lines.size())) {
            configs.add(line.substring(0, line.indexOf(',')));
        }
        return List.copyOf(configs);
    }

    /** One config's points, C = flops and each budget its flops value. */
    static RunTable points(String config) {
        ReadOptions opts = ReadOptions.defaults().withColumns("N", "D", "flops", "loss").withBudgetCol("flops")
                .withWhere(List.of("config=" + config));
        return RunTableReader.readCsv(ValidationData.file(POINTS), opts);
    }

    /** The repository's exponent a per config, from its optima (budgets without a minimum left out). */
    static Map<String, Double> repositoryExponents() {
        Map<String, List<double[]>> rows = new LinkedHashMap<>();
        List<String> lines = lines(OPTIMA);
        if (!lines.get(0).equals("config,flops,N_opt,n_star_std")) {
            throw new AssertionError(OPTIMA + " has an unexpected header: " + lines.get(0));
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (f[2].isEmpty()) {
                continue;
            }
            rows.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new double[] {Double.parseDouble(f[1]),
                Double.parseDouble(f[2]), Double.parseDouble(f[3])});
        }
        Map<String, Double> out = new LinkedHashMap<>();
        rows.forEach((config, r) -> out.put(config, weightedSlope(r)));
        return out;
    }

    /** Slope of ln N_opt on ln C, weighted by 1 / sd^2 (rows: C, N_opt, sd). */
    static double weightedSlope(List<double[]> rows) {
        double w = 0;
        double mx = 0;
        double my = 0;
        for (double[] r : rows) {
            double wi = 1 / (r[2] * r[2]);
            w += wi;
            mx += wi * Math.log(r[0]);
            my += wi * Math.log(r[1]);
        }
        mx /= w;
        my /= w;
        double sxx = 0;
        double sxy = 0;
        for (double[] r : rows) {
            double wi = 1 / (r[2] * r[2]);
            double dx = Math.log(r[0]) - mx;
            sxx += wi * dx * dx;
            sxy += wi * dx * (Math.log(r[1]) - my);
        }
        return sxy / sxx;
    }

    private static List<String> lines(String name) {
        Path f = ValidationData.file(name);
        try {
            return Files.readAllLines(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
