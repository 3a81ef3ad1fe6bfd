package org.scalinglab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.ScalingLabException;
import org.scalinglab.sweep.ThroughputProbe.Point;
import org.scalinglab.sweep.ThroughputProbe.Speed;

/** The probe's arithmetic: its speed model, time estimates, the packing choice, the LPT wall time. */
class ThroughputProbeTest {
    @Test
    void secondsPerTokenIsOverheadPlusCostPerFlopThroughTwoShapes() {
        // 1e-5 s/token of host overhead, 1e-12 s per FLOP
        Point small = new Point("s", 1e6, 1, 1 / (1e-5 + 1e-6), 2);
        Point large = new Point("l", 1e8, 1, 1 / (1e-5 + 1e-4), 4);
        Speed s = ThroughputProbe.fit(1, List.of(small, large));
        assertEquals(1e-5, s.secondsPerToken(), 1e-12);
        assertEquals(1e-12, s.secondsPerFlop(), 1e-18);
        assertEquals(3, s.startupSeconds(), 1e-12);
        assertEquals(1 / (1e-5 + 1e-5), s.tokensPerSecond(1e7), 1e-6);
        Speed one = ThroughputProbe.fit(2, List.of(large));
        assertEquals(0, one.secondsPerToken());
        assertEquals((1e-5 + 1e-4) / 1e8, one.secondsPerFlop(), 1e-20, "proportional through one point");
        Speed flat = ThroughputProbe.fit(1, List.of(new Point("s", 1e6, 1, 1000, 0), new Point("l", 1e8, 1, 1100, 0)));
        assertEquals(0, flat.secondsPerFlop(), "a faster large shape: all overhead");
    }

    @Test
    void runTimeCountsStartupTrainingAndEvaluationTokens() {
        PlannedRun r = SweepDesignTest.plan(SweepDesignTest.GRID).runs().get(0); // 156 steps, 9984 tokens
        Speed s = new Speed(1, 1e-4, 0, 5);
        // evaluations: every 100 steps (default) and the last, plus step 0: 3 x 8 batches x 4 x 16 tokens, a third each
        double evalTokens = 3 * 8 * 4 * 16;
        assertEquals(5 + 1e-4 * (9984 + evalTokens / 3), s.seconds(r), 1e-9);
    }

    @Test
    void makespanIsLongestFirstOnTheLeastLoadedSlot() {
        assertEquals(10, ThroughputProbe.makespan(List.of(10.0, 3.0, 3.0, 3.0), 2));
        assertEquals(8, ThroughputProbe.makespan(List.of(4.0, 4.0, 4.0, 4.0), 2));
        assertEquals(6, ThroughputProbe.makespan(List.of(1.0, 2.0, 3.0), 1));
        assertEquals(0, ThroughputProbe.makespan(List.of(), 3));
    }

    @Test
    void packingIsChosenByTheEstimatedWallTimeAndItsSpeedUpReported() {
        SweepPlan plan = SweepDesignTest.plan(SweepDesignTest.GRID);
        Speed one = new Speed(1, 1e-4, 0, 2);
        Speed two = new Speed(2, 1.4e-4, 0, 3); // each run 1.4x slower when two share the device
        Speed four = new Speed(4, 4e-4, 0, 4); // host contention: worse than two
        List<Point> pts = List.of(new Point("L1-d16-h1-T16", 70_800, 1, 1e4, 2),
                new Point("L1-d16-h1-T16", 70_800, 2, 1 / 1.4e-4, 3), new Point("L1-d16-h1-T16", 70_800, 4, 2500, 4));
        ThroughputProbe.Result result = new ThroughputProbe.Result("k", "gpu:0", 4, pts, List.of(one, two, four), "now");
        List<String> notes = new ArrayList<>();
        assertEquals(2, Planner.choosePacking(plan, 1, result, notes));
        double wall1 = ThroughputProbe.makespan(plan.runs().stream().map(one::seconds).toList(), 1);
        double wall2 = ThroughputProbe.makespan(plan.runs().stream().map(two::seconds).toList(), 2);
        String note = notes.get(0);
        assertTrue(note.contains("2 per device: 14.3k tokens/s in all"), note);
        assertTrue(note.contains(String.format(java.util.Locale.ROOT, "chose 2 per device (%.2fx faster than 1)",
                wall1 / wall2)), note);
        // a k that saves under 5% is not worth its memory
        Speed alone = new Speed(1, 1e-4, 0, 0);
        Speed barely = new Speed(2, 1.95e-4, 0, 0); // 2.5% less wall time for these four runs
        ThroughputProbe.Result close = new ThroughputProbe.Result("k", "gpu:0", 4, pts, List.of(alone, barely), "now");
        assertEquals(1, Planner.choosePacking(plan, 1, close, new ArrayList<>()));
    }

    @Test
    void steadyThroughputDropsTheWarmUpRow(@TempDir Path dir) throws IOException {
        Path m = Files.writeString(dir.resolve("metrics.csv"), """
                step,tokens,flops_kaplan,flops_chinchilla,train_loss,val_loss,lr,grad_norm,loss_scale,tokens_per_s,mfu,mem_mb,elapsed_s
                0,0,0,0,,5.5,0,,1,,,1,1
                5,320,1,1,5.4,,0.1,1,1,32,,1,2
                10,640,1,1,5.1,4.9,0.1,1,1,320,,1,3
                15,960,1,1,4.8,,0.1,1,1,160,,1,4
                """);
        double[] r = ThroughputProbe.steadyTokensPerSecond(m);
        assertEquals(640 / 3.0, r[0], 1e-9, "rows 2 and 3: 640 tokens in 1 + 2 s");
        assertEquals(13, r[1], 1e-9, "all rows: 10 + 1 + 2 s");
        Path short_ = Files.writeString(dir.resolve("short.csv"), """
                step,tokens,flops_kaplan,flops_chinchilla,train_loss,val_loss,lr,grad_norm,loss_scale,tokens_per_s,mfu,mem_mb,elapsed_s
                5,320,1,1,5.4,,0.1,1,1,32,,1,2
                """);
        assertThrows(ScalingLabException.class, () -> ThroughputProbe.steadyTokensPerSecond(short_));
    }

    @Test
    void probeShapesAreTheLightestAndHeaviestPerToken() {
        SweepPlan plan = SweepDesignTest.plan(SweepDesignTest.GRID);
        List<PlannedRun> shapes = ThroughputProbe.probeShapes(plan.runs());
        assertEquals(List.of("L1-d16-h1-T16", "L2-d32-h2-T16"), shapes.stream().map(r -> r.plan().shape().label()).toList());
    }
}
