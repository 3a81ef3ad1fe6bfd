package org.scalinglab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.scalinglab.sweep.DesignAgainstTune.Run;

/** A design run far worse than the tune runs of its size flags itself; noise does not. */
class DesignAgainstTuneTest {
    static final List<Run> TUNE = List.of(
            new Run("t1", "L2 lr=0.01", 11_700, 1.5e11, 2.072, 0.002),
            new Run("t2", "L2 lr=0.014", 11_700, 1.5e11, 2.083, 0.002),
            new Run("t3", "L6 lr=0.01", 185_000, 1.5e11, 2.30, 0.002));

    @Test
    void aRunFarAboveItsSizesBestTuneRunIsFlagged() {
        DesignAgainstTune.Report r = DesignAgainstTune.compare(TUNE, List.of(
                new Run("d1", "L6 C=6e11", 185_000, 6e11, 2.379, 0.002), // the audit's outlier, above its 1.5e11 tune run
                new Run("d2", "L2 C=6e11", 11_700, 6e11, 1.95, 0.002))); // lower with more compute, as it should be
        assertEquals(2, r.compared().size());
        assertEquals(List.of("d1"), r.flagged().stream().map(DesignAgainstTune.Comparison::id).toList());
        DesignAgainstTune.Comparison c = r.flagged().get(0);
        assertEquals("t3", c.tuneId());
        assertEquals(0.079, c.excess(), 1e-9);
        assertTrue(c.describe().contains("L6 C=6e11") && c.describe().contains("0.0790"), c.describe());
    }

    @Test
    void seedAndKernelNoiseAtTheSameBudgetIsNotFlagged() {
        // the same run at the pooled lr, 0.011 nats worse (the kernel-path spread): within the tolerance
        DesignAgainstTune.Report r = DesignAgainstTune.compare(TUNE, List.of(
                new Run("d1", "L2 C=1.5e11", 11_700, 1.5e11, 2.083, 0.002)));
        assertFalse(r.compared().get(0).flagged());
    }

    @Test
    void aSizeWithoutTuneRunsOrOnlyLargerTuneBudgetsIsNotCompared() {
        DesignAgainstTune.Report r = DesignAgainstTune.compare(TUNE, List.of(
                new Run("d1", "L4", 61_100, 6e11, 3.0, 0.002), new Run("d2", "L2 small", 11_700, 1e11, 3.0, 0.002)));
        assertTrue(r.compared().isEmpty());
    }
}
