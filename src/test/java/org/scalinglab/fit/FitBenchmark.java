package org.scalinglab.fit;

import java.lang.management.ManagementFactory;
import org.scalinglab.fit.approach.ParametricFit;
import org.scalinglab.fit.approach.ParametricResult;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.optim.Bootstrap;
import org.scalinglab.fit.optim.Parallel;
import org.scalinglab.fit.optim.StartGrid;

/**
 * The fit's speed targets, as a program rather than a timed test (a shared machine makes timed tests
 * flaky): approach 3 with the full 4,500-start grid on the 240 Chinchilla points (target: under 5 s on 2
 * cores) and 1,000 bootstrap refits (target: under 60 s). It prints wall time and process CPU time, so a
 * run on a loaded machine can still be read: CPU time over the core count is what an idle machine would
 * take. Run from the project root:
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) org.scalinglab.fit.FitBenchmark [refits]
 * </pre>
 */
public final class FitBenchmark {
    private FitBenchmark() {}

    public static void main(String[] args) {
        int replicates = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        RunTable table = ValidationData.chinchilla240();
        ParametricFit fitter = ParametricFit.chinchilla();
        System.out.printf("cores: %d, load average: %.2f, points: %d, starts: %d%n", Parallel.defaultThreads(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), table.size(),
                fitter.grid().size());
        // a small warm-up fit so that the timings measure compiled code, as in a long CLI run
        fitter.withGrid(new StartGrid(new double[] {0, 1}, new double[] {0, 1}, new double[] {0, 1},
                new double[] {0, 10}, new double[] {0, 10})).fit(table);

        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        ParametricResult fit = fitter.fit(table);
        report("approach 3, full grid", t0, cpu0);
        System.out.printf("  objective %.10g  E %.4f  A %.1f  B %.0f  alpha %.4f  beta %.4f  a %.4f%n", fit.objective(),
                fit.E(), fit.A(), fit.B(), fit.alpha(), fit.beta(), fit.a());
        System.out.println("  " + fit.diagnostics());

        cpu0 = cpuNanos();
        t0 = System.nanoTime();
        ParametricResult boot = fitter.bootstrap(table, fit, new Bootstrap(replicates, Bootstrap.DEFAULT_SEED, 0.95));
        report(replicates + " bootstrap refits (" + fit.refitStarts().size() + " starts each)", t0, cpu0);
        boot.ci().forEach((k, v) -> System.out.printf("  %-5s [%.4g, %.4g]%n", k, v[0], v[1]));
    }

    private static void report(String what, long t0, long cpu0) {
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (cpuNanos() - cpu0) / 1e9;
        System.out.printf("%s: %.2f s wall, %.2f s CPU (%.2f s per core on %d cores)%n", what, wall, cpu,
                cpu / Parallel.defaultThreads(), Parallel.defaultThreads());
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
