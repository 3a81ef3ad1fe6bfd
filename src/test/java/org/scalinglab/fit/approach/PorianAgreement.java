package org.scalinglab.fit.approach;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.optim.Bootstrap;

/**
 * How closely approach 2 reproduces the exponent a that Porian et al.'s repository reports for each of its
 * 15 configs, for a given way of drawing the profiles: the measurement behind approach 2's default
 * ({@link Approach2Comparison} prints it).
 */
final class PorianAgreement {
    static final long SEED = Bootstrap.DEFAULT_SEED;

    private PorianAgreement() {}

    /** One config: our a, its interval, budgets used, and the repository's a. */
    record Config(String config, double a, double[] ci, int budgetsUsed, int budgets, double repository) {
        double difference() {
            return a - repository;
        }

        boolean covers() {
            return ci[0] <= repository && repository <= ci[1];
        }
    }

    /** One way of drawing the profiles, by its label in the tables. */
    record Candidate(String label, IsoFlopFit fit) {
        Candidate(IsoFlopSettings s) {
            this(PorianAgreement.label(s), new IsoFlopFit(s));
        }

        IsoFlopSettings settings() {
            return fit.settings();
        }
    }

    /** Every config under one way of drawing the profiles. */
    record Summary(String label, IsoFlopSettings settings, List<Config> configs) {
        double maxAbsDifference() {
            return configs.stream().mapToDouble(c -> Math.abs(c.difference())).max().orElse(Double.NaN);
        }

        double meanAbsDifference() {
            return configs.stream().mapToDouble(c -> Math.abs(c.difference())).average().orElse(Double.NaN);
        }

        long covered() {
            return configs.stream().filter(Config::covers).count();
        }

        double medianWidth() {
            double[] w = configs.stream().mapToDouble(c -> c.ci()[1] - c.ci()[0]).sorted().toArray();
            return w.length % 2 == 1 ? w[w.length / 2] : 0.5 * (w[w.length / 2 - 1] + w[w.length / 2]);
        }
    }

    static Summary measure(IsoFlopSettings settings, int refits) {
        return measure(new Candidate(settings), refits);
    }

    static Summary measure(Candidate candidate, int refits) {
        Map<String, Double> repository = PorianData.repositoryExponents();
        IsoFlopFit f = candidate.fit();
        List<Config> out = new ArrayList<>();
        for (String c : PorianData.configs()) {
            RunTable t = PorianData.points(c);
            IsoFlopResult r = f.bootstrap(t, f.fit(t), new Bootstrap(refits, SEED, 0.95));
            Double ref = repository.get(c);
            if (ref == null) {
                throw new AssertionError("no optima for config " + c + " in " + PorianData.OPTIMA);
            }
            out.add(new Config(c, r.a(), r.ci().get("a"), r.budgetsUsed(), r.budgets().size(), ref));
        }
        return new Summary(candidate.label(), candidate.settings(), out);
    }

    /**
     * The ways compared: parabolas over every size, over fixed windows of 3 to 9 sizes, over a loss band's
     * first step alone (the sizes within the band of the lowest run) and over the loss band (the default's
     * rule, {@link IsoFlopFit#band}) of several widths, and Akima's curve.
     */
    static List<Candidate> candidates() {
        List<Candidate> s = new ArrayList<>();
        s.add(new Candidate(new IsoFlopSettings(IsoFlopSettings.Curve.PARABOLA, IsoFlopSettings.ALL)));
        for (int k = 3; k <= 9; k++) {
            s.add(new Candidate(new IsoFlopSettings(IsoFlopSettings.Curve.PARABOLA, k)));
        }
        for (double band : new double[] {0.03, 0.05, 0.08, 0.12}) {
            IsoFlopSettings b = IsoFlopSettings.band(IsoFlopSettings.Curve.PARABOLA, band);
            s.add(new Candidate(label(b) + " (first step only)", new IsoFlopFit(b, false)));
        }
        for (double band : new double[] {0.03, 0.04, 0.05, 0.06, 0.08}) {
            s.add(new Candidate(IsoFlopSettings.band(IsoFlopSettings.Curve.PARABOLA, band)));
        }
        s.add(new Candidate(new IsoFlopSettings(IsoFlopSettings.Curve.AKIMA, IsoFlopSettings.ALL)));
        s.add(new Candidate(new IsoFlopSettings(IsoFlopSettings.Curve.AKIMA, 5)));
        return s;
    }

    static String label(IsoFlopSettings s) {
        return s.curve().key() + ", window " + s.windowKey();
    }
}
