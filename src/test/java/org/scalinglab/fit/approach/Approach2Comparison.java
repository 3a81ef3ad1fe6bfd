package org.scalinglab.fit.approach;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scalinglab.ScalingLabException;
import org.scalinglab.fit.Planted;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.law.FitSettings;
import org.scalinglab.fit.optim.Bootstrap;

/**
 * The tables behind approach 2's default profile (docs/validation.md): agreement with Porian et al.'s
 * repository over its 15 configs, and, on planted Chinchilla laws, the error and 90 % interval coverage of a
 * for each way of drawing the profiles ({@link PorianAgreement#candidates}). A program rather than a test (it
 * takes about 4 minutes on 2 cores; {@code planted} as a third argument prints only the planted table); run from
 * the project root:
 *
 * <pre>
 * mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) org.scalinglab.fit.approach.Approach2Comparison [refits] [simulations] [planted]
 * </pre>
 */
public final class Approach2Comparison {
    private Approach2Comparison() {}

    /** A planted design: sizes per budget over a span, noise, and the drift of its centre off the optimum. */
    record Design(String name, int sizes, double spanDecades, double noise, double driftDecades, int budgets,
            double budgetFactor) {
        Design(String name, int sizes, double spanDecades, double noise, double driftDecades, int budgets) {
            this(name, sizes, spanDecades, noise, driftDecades, budgets, 4);
        }

        RunTable draw(long seed) {
            return Planted.isoFlopDrifting(Planted.CHINCHILLA, Planted.budgets(1e18, budgetFactor, budgets), sizes,
                    spanDecades, noise, driftDecades, seed);
        }
    }

    static final List<Design> DESIGNS = List.of(
            new Design("5 sizes, 1.2 decades, 0.3 % noise, centred", 5, 1.2, 0.003, 0, 5),
            new Design("9 sizes, 1.5 decades, 0.2 % noise, centred", 9, 1.5, 0.002, 0, 6),
            new Design("12 sizes, 2.4 decades, 0.3 % noise, centre drifting +-0.7 decade", 12, 2.4, 0.003, 0.7, 6),
            new Design("9 sizes 0.2 decades apart, 1 % noise, centred", 9, 1.6, 0.01, 0, 6),
            new Design("9 sizes 0.2 decades apart, 1 % noise, centred, 4 budgets over 8x", 9, 1.6, 0.01, 0, 4, 2));

    public static void main(String[] args) {
        boolean porian = args.length <= 2 || !args[2].equals("planted");
        int refits = args.length > 0 ? Integer.parseInt(args[0]) : FitSettings.DEFAULT_BOOTSTRAP;
        int sims = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        if (porian) {
            Map<String, PorianAgreement.Summary> all = new LinkedHashMap<>();
            for (PorianAgreement.Candidate c : PorianAgreement.candidates()) {
                all.put(c.label(), PorianAgreement.measure(c, refits));
            }
            System.out.printf(Locale.ROOT, "Porian et al.: %d bootstrap refits per config (seed %d), 95%% percentile "
                    + "intervals%n%n", refits, PorianAgreement.SEED);
            System.out.println("| profile | max abs(a - repo) | mean abs(a - repo) | repo inside the 95 % interval "
                    + "| median interval width |");
            System.out.println("| --- | ---: | ---: | ---: | ---: |");
            all.values().forEach(s -> System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %d of %d | %.3f |%n",
                    s.label(), s.maxAbsDifference(), s.meanAbsDifference(), s.covered(),
                    s.configs().size(), s.medianWidth()));
            for (IsoFlopSettings s : List.of(IsoFlopSettings.defaults(),
                    new IsoFlopSettings(IsoFlopSettings.Curve.PARABOLA, 5),
                    new IsoFlopSettings(IsoFlopSettings.Curve.PARABOLA, IsoFlopSettings.ALL))) {
                System.out.printf(Locale.ROOT, "%n%s%n%n| config | a | 95 %% interval | budgets used | repository |%n"
                        + "| --- | ---: | --- | --- | ---: |%n", PorianAgreement.label(s));
                for (PorianAgreement.Config c : all.get(PorianAgreement.label(s)).configs()) {
                    System.out.printf(Locale.ROOT, "| `%s` | %.3f | [%.3f, %.3f] | %d/%d | %.3f |%n",
                            c.config().replace("|", "\\|"), c.a(), c.ci()[0], c.ci()[1], c.budgetsUsed(), c.budgets(),
                            c.repository());
                }
            }
        }
        System.out.printf(Locale.ROOT, "%nPlanted Chinchilla law (a = %.4f): %d simulations per design, %d refits, "
                + "90%% intervals%n%n| profile |", Planted.CHINCHILLA.a(), sims, Math.min(refits, 100));
        DESIGNS.forEach(d -> System.out.print(" " + d.name() + ": bias, rmse of a, coverage |"));
        System.out.print("\n| --- |");
        DESIGNS.forEach(d -> System.out.print(" ---: |"));
        System.out.println();
        for (PorianAgreement.Candidate c : PorianAgreement.candidates()) {
            IsoFlopFit f = c.fit();
            StringBuilder row = new StringBuilder("| " + c.label() + " |");
            for (Design d : DESIGNS) {
                double se = 0;
                double sum = 0;
                int covered = 0;
                int fitted = 0;
                for (int k = 0; k < sims; k++) {
                    RunTable t = d.draw(1000 + k);
                    IsoFlopResult r;
                    try {
                        r = f.bootstrap(t, f.fit(t), new Bootstrap(Math.min(refits, 100), k, 0.9));
                    } catch (ScalingLabException e) {
                        continue; // approach 2 refused the sweep (an exponent outside the physical range)
                    }
                    fitted++;
                    double e = r.a() - Planted.CHINCHILLA.a();
                    se += e * e;
                    sum += e;
                    double[] ci = r.ci().get("a");
                    covered += ci[0] <= Planted.CHINCHILLA.a() && Planted.CHINCHILLA.a() <= ci[1] ? 1 : 0;
                }
                row.append(String.format(Locale.ROOT, " %+.4f, %.4f, %.2f%s |", sum / fitted, Math.sqrt(se / fitted),
                        covered / (double) fitted, fitted < sims ? " (" + (sims - fitted) + " refused)" : ""));
            }
            System.out.println(row);
        }
    }
}
