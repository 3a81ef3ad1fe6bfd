package org.scalinglab.sweep;

/** The planner's package-private rules, for tests in other packages. */
public final class PlannerAccess {
    private PlannerAccess() {}

    public static int cpuRunsAtOnce(int cores, int threadsPerRun, int runs) {
        return Planner.cpuRunsAtOnce(cores, threadsPerRun, runs);
    }
}
