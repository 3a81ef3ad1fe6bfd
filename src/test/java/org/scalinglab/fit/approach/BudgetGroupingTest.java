package org.scalinglab.fit.approach;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scalinglab.fit.input.RunPoint;
import org.scalinglab.fit.input.RunTable;

class BudgetGroupingTest {
    static RunPoint run(double c, double budget) {
        return new RunPoint("r" + c, 1e6, c / 6e6, c, 3, budget, null);
    }

    @Test
    void usesEachRunsOwnBudget() {
        RunTable t = RunTable.of(List.of(run(1.02e18, 1e18), run(0.97e18, 1e18), run(3.1e18, 3e18)));
        BudgetGrouping.Assignment a = BudgetGrouping.assign(t);
        assertArrayEquals(new double[] {1e18, 3e18}, a.budgets());
        assertArrayEquals(new int[] {0, 0, 1}, a.groupOfPoint());
        assertEquals("each run's own budget", a.rule());
    }

    @Test
    void fewDistinctValuesOfCAreTheBudgets() {
        List<RunPoint> pts = new ArrayList<>();
        for (double c : new double[] {1e18, 1e18, 1e18, 2e18, 2e18, 2e18}) {
            pts.add(run(c, Double.NaN));
        }
        BudgetGrouping.Assignment a = BudgetGrouping.assign(RunTable.of(pts));
        assertArrayEquals(new double[] {1e18, 2e18}, a.budgets());
        assertTrue(a.rule().contains("distinct values"));
    }

    @Test
    void scatteredValuesAreClusteredInLogC() {
        List<RunPoint> pts = new ArrayList<>();
        for (double c : new double[] {0.95e18, 1.0e18, 1.05e18, 2.9e18, 3.0e18, 3.2e18, 9.8e18}) {
            pts.add(run(c, Double.NaN));
        }
        BudgetGrouping.Assignment a = BudgetGrouping.assign(RunTable.of(pts));
        assertEquals(3, a.count());
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1, 2}, a.groupOfPoint());
        assertEquals(Math.cbrt(0.95e18 * 1.0e18 * 1.05e18), a.budgets()[0], 1e6);
        assertTrue(a.rule().contains("clustered"));
    }
}
