package org.scalinglab.fit.approach;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scalinglab.fit.Planted;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.law.FitSettings;
import org.scalinglab.fit.optim.Bootstrap;

/**
 * The tables behind approach 2's default profile (docs/validation.md): agreement with Porian et al.'s
 * repository over its 15 configs, and, on planted Chinchilla laws, the error and 90 % interval coverage of a
 * for each way of drawing the profiles. A program rather than a test (it takes about a minute); run from the
 * project root:
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) org.scalinglab.fit.approach.Approach2Comparison [refits] [simulations]
 * </pre>
 */
public final class Approach2Comparison {
    private Approach2Comparison() {}

    /** A planted design: sizes per budget over a span, noise, and the drift of its centre off the optimum. */
    record Design(String name, int sizes, double spanDecades, double noise, double driftDecades, int budgets) {
        RunTable draw(long seed) {
            return Planted.isoFlopDrifting(Planted.CHINCHILLA, Planted.budgets(1e18, 4, budgets), sizes, spanDecades,
                    noise, driftDecades, seed);
        }
    }

    static final List<Design> DESIGNS = List.of(
            new Design("5 sizes, 1.2 decades, 0.3 % noise, centred", 5, 1.2, 0.003, 0, 5),
            new Design("9 sizes, 1.5 decades, 0.2 % noise, centred", 9, 1.5, 0.002, 0, 6),
            new Design("12 sizes, 2.4 decades, 0.3 % noise, centre drifting +-0.7 decade", 12, 2.4, 0.003, 0.7, 6));

    public static void main(String[] args) {
        int refits = args.length > 0 ? Integer.parseInt(args[0]) : FitSettings.DEFAULT_BOOTSTRAP;
        int sims = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        Map<IsoFlopSettings, PorianAgreement.Summary> all = new LinkedHashMap<>();
        for (IsoFlopSettings s : PorianAgreement.candidates()) {
            all.put(s, PorianAgreement.measure(s, refits));
        }
        System.out.printf(Locale.ROOT, "Porian et al.: %d bootstrap refits per config (seed %d), 95%% percentile "
                + "intervals%n%n", refits, PorianAgreement.SEED);
        System.out.println("| profile | max abs(a - repo) | mean abs(a - repo) | repo inside the 95 % interval "
                + "| median interval width |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        all.values().forEach(s -> System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %d of %d | %.3f |%n",
                PorianAgreement.label(s.settings()), s.maxAbsDifference(), s.meanAbsDifference(), s.covered(),
                s.configs().size(), s.medianWidth()));
        for (IsoFlopSettings s : List.of(IsoFlopSettings.defaults(),
                new IsoFlopSettings(IsoFlopSettings.Curve.PARABOLA, IsoFlopSettings.ALL))) {
            System.out.printf(Locale.ROOT, "%n%s%n%n| config | a | 95 %% interval | budgets used | repository |%n"
                    + "| --- | ---: | --- | --- | ---: |%n", PorianAgreement.label(s));
            for (PorianAgreement.Config c : all.get(s).configs()) {
                System.out.printf(Locale.ROOT, "| `%s` | %.3f | [%.3f, %.3f] | %d/%d | %.3f |%n",
                        c.config().replace("|", "\\|"), c.a(), c.ci()[0], c.ci()[1], c.budgetsUsed(), c.budgets(),
                        c.repository());
            }
        }
        System.out.printf(Locale.ROOT, "%nPlanted Chinchilla law (a = %.4f): %d simulations per design, %d refits, "
                + "90%% intervals%n%n| profile |", Planted.CHINCHILLA.a(), sims, Math.min(refits, 100));
        DESIGNS.forEach(d -> System.out.print(" " + d.name() + ": rmse of a, coverage |"));
        System.out.print("\n| --- |");
        DESIGNS.forEach(d -> System.out.print(" ---: |"));
        System.out.println();
        for (IsoFlopSettings s : PorianAgreement.candidates()) {
            IsoFlopFit f = new IsoFlopFit(s);
            StringBuilder row = new StringBuilder("| " + PorianAgreement.label(s) + " |");
            for (Design d : DESIGNS) {
                double se = 0;
                int covered = 0;
                for (int k = 0; k < sims; k++) {
                    RunTable t = d.draw(1000 + k);
                    IsoFlopResult r = f.bootstrap(t, f.fit(t), new Bootstrap(Math.min(refits, 100), k, 0.9));
                    double e = r.a() - Planted.CHINCHILLA.a();
                    se += e * e;
                    double[] ci = r.ci().get("a");
                    covered += ci[0] <= Planted.CHINCHILLA.a() && Planted.CHINCHILLA.a() <= ci[1] ? 1 : 0;
                }
                row.append(String.format(Locale.ROOT, " %.4f, %.2f |", Math.sqrt(se / sims), covered / (double) sims));
            }
            System.out.println(row);
        }
    }
}
