package org.scalinglab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.ConfigLoader;
import org.scalinglab.config.RunConfig;
import org.scalinglab.io.JvmLauncher;

/** The host-side memory of a run: refused before anything is allocated; workers' heaps sized from it. */
class MemoryEstimateTest {
    static final long GIB = 1L << 30;

    static RunConfig config(String... sets) {
        List<String> all = new java.util.ArrayList<>(List.of("device=cpu", "train.steps=10"));
        all.addAll(List.of(sets));
        return ConfigLoader.resolve(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("name", "m"), all);
    }

    @Test
    void aModelWhoseHostArraysExceedTheHeapOrDirectMemoryIsRefusedWithTheNumbers() {
        RunConfig c = config("model.d_model=4096", "model.layers=1");
        RunPlan p = RunPlan.of(c, 256);
        assertTrue(MemoryEstimate.heapBytes(c, p) > 8 * p.params().total());
        ScalingLabException heap = assertThrows(ScalingLabException.class,
                () -> MemoryEstimate.check(c, p, "cpu", GIB, 64 * GIB));
        assertEquals(ExitCode.CONFIG, heap.exitCode());
        assertTrue(heap.getMessage().contains("202,960,896 parameters") && heap.getMessage().contains("GiB of Java heap")
                && heap.getMessage().contains("this JVM has 1.0 GiB"), heap.getMessage());
        assertTrue(heap.hint().contains("-Xmx3g"), heap.hint());
        ScalingLabException direct = assertThrows(ScalingLabException.class,
                () -> MemoryEstimate.check(c, p, "cpu", 64 * GIB, GIB));
        assertTrue(direct.getMessage().contains("direct memory to resume"), direct.getMessage());
        MemoryEstimate.check(c, p, "cpu", 64 * GIB, 64 * GIB);
    }

    @Test
    void aRunBiggerThanTheMachineIsRefused() {
        RunConfig c = config("train.batch_size=1000000", "model.context=64");
        ScalingLabException e = assertThrows(ScalingLabException.class,
                () -> MemoryEstimate.check(c, RunPlan.of(c, 256), "cpu", 64 * GIB, 64 * GIB));
        assertTrue(e.getMessage().contains("GiB on cpu") && e.getMessage().contains("the machine allows"),
                e.getMessage());
    }

    /** Workers get a heap from their model, not the sweep JVM's (surefire's -Xmx4g) nor a quarter of RAM each. */
    @Test
    void workersGetAHeapSizedFromTheirModelAndTheUsersOptionsStillWin() {
        RunConfig c = config();
        RunPlan p = RunPlan.of(c, 256);
        long heap = MemoryEstimate.heapBytes(c, p);
        assertTrue(heap < 512L << 20, "a tiny model needs little: " + heap);
        List<String> inherited = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> opts = JvmLauncher.current(List.of()).withMemory(heap, MemoryEstimate.directBytes(p)).jvmOptions();
        assertEquals("-Xmx" + ((heap + (1 << 20) - 1) >> 20) + "m", opts.get(0));
        assertTrue(opts.get(1).startsWith("-XX:MaxDirectMemorySize="), opts.toString());
        assertFalse(opts.stream().skip(2).anyMatch(o -> o.startsWith("-Xmx") && inherited.contains(o)),
                "this JVM's own heap is not passed on: " + opts);
        List<String> user = JvmLauncher.current(List.of("-Xmx3g")).withMemory(heap, heap).jvmOptions();
        assertEquals("-Xmx3g", user.stream().filter(o -> o.startsWith("-Xmx")).reduce((a, b) -> b).orElseThrow(),
                "executor.jvm_options come last, so they win: " + user);
    }
}
