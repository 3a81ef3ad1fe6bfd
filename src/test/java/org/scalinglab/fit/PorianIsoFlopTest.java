package org.scalinglab.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Approach 2 on every config of Porian et al.'s IsoFLOP points (the project's copy, validation/SOURCES.md)
 * yields an exponent with an interval that tracks the repository's own fit of its optima: Kaplan-like
 * settings give a larger a than tuned Chinchilla-like ones.
 */
class PorianIsoFlopTest {
    static final Map<String, IsoFlopResult> FITS = new LinkedHashMap<>();
    static final Map<String, Double> REFERENCE = PorianData.repositoryExponents();

    @BeforeAll
    static void fitEveryConfig() {
        IsoFlopFit f = new IsoFlopFit();
        for (String c : PorianData.configs()) {
            RunTable t = PorianData.points(c);
            FITS.put(c, f.bootstrap(t, f.fit(t), new Bootstrap(100, 7, 0.95)));
        }
    }

    @Test
    void everyConfigYieldsAnExponentWithAnInterval() {
        assertEquals(15, FITS.size());
        FITS.forEach((c, r) -> {
            double[] ci = r.ci().get("a");
            assertTrue(ci[0] < r.a() && r.a() < ci[1] && ci[1] - ci[0] < 0.35, c + ": a " + r.a() + " in "
                    + java.util.Arrays.toString(ci));
            assertTrue(r.budgetsUsed() >= 8, c + ": " + r.budgetsUsed() + " budgets used");
            assertEquals(REFERENCE.get(c), r.a(), 0.1, c + ": parabola vs the repository's own optima");
        });
    }

    @Test
    void kaplanLikeConfigsGiveLargerExponentsThanTunedOnes() {
        for (String data : new String[] {"rw", "owt2"}) {
            double kaplan = FITS.get(data + "|base|long|kaplan|kaplan|train").a();
            double tuned = FITS.get(data + "|tuned|short|const|standard|val").a();
            assertTrue(kaplan > tuned + 0.2, data + ": " + kaplan + " vs " + tuned);
            double[] kci = FITS.get(data + "|base|long|kaplan|kaplan|train").ci().get("a");
            double[] tci = FITS.get(data + "|tuned|short|const|standard|val").ci().get("a");
            assertTrue(kci[0] > tci[1], "the intervals do not overlap");
        }
        // the ladder of corrections moves a down monotonically on rw with the standard val loss
        List<Double> ladder = new ArrayList<>();
        for (String c : new String[] {"rw|base|long|kaplan|standard|val", "rw|base|short|kaplan|standard|val",
            "rw|base|short|chinchilla|standard|val", "rw|tuned|short|const|standard|val"}) {
            ladder.add(FITS.get(c).a());
        }
        for (int i = 1; i < ladder.size(); i++) {
            assertTrue(ladder.get(i) < ladder.get(i - 1), "ladder " + ladder);
        }
    }
}
