package org.scalinglab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.sweep.DeviceSlots.Slot;

/** Where runs go: device specs against the GPUs libtorch sees, runs per device, threads per run. */
class DeviceSlotsTest {
    @Test
    void devicesFromSpecs() {
        assertEquals(List.of("cpu"), DeviceSlots.devices("auto", 0));
        assertEquals(List.of("gpu:0", "gpu:1"), DeviceSlots.devices("auto", 2));
        assertEquals(List.of("cpu"), DeviceSlots.devices("cpu", 4));
        assertEquals(List.of("gpu:0", "gpu:1", "gpu:2"), DeviceSlots.devices("gpu", 3));
        assertEquals(List.of("gpu:2", "gpu:0"), DeviceSlots.devices("gpu:2, gpu:0,gpu:2", 3));
        ScalingLabException none = assertThrows(ScalingLabException.class, () -> DeviceSlots.devices("gpu", 0));
        assertEquals(ExitCode.ENGINE, none.exitCode());
        ScalingLabException missing = assertThrows(ScalingLabException.class, () -> DeviceSlots.devices("gpu:3", 2));
        assertTrue(missing.getMessage().contains("gpu:3"), missing.getMessage());
        assertTrue(missing.hint().contains("gpu:0 .. gpu:1"), missing.hint());
    }

    @Test
    void oneRunPerGpuByDefaultAndKWhenPacked() {
        List<String> gpus = List.of("gpu:0", "gpu:1");
        assertEquals(1, DeviceSlots.runsPerDevice(gpus, 0, 0, 16));
        assertEquals(4, DeviceSlots.runsPerDevice(gpus, 4, 0, 16));
        List<Slot> slots = DeviceSlots.slots(gpus, 3, 0, 16);
        assertEquals(6, slots.size());
        assertEquals(List.of("gpu:0", "gpu:1", "gpu:0", "gpu:1", "gpu:0", "gpu:1"),
                slots.stream().map(Slot::device).toList(), "spread over the GPUs first");
        assertTrue(slots.stream().allMatch(s -> s.threads() == 2 && s.gpu()), "16 cores / 6 runs");
        assertEquals("6 runs at once: 3 per GPU on gpu:0, gpu:1, 2 threads each", DeviceSlots.describe(slots));
    }

    @Test
    void cpuWorkersShareTheCores() {
        List<String> cpu = List.of("cpu");
        assertEquals(1, DeviceSlots.runsPerDevice(cpu, 0, 0, 8), "one run on every core");
        assertEquals(4, DeviceSlots.runsPerDevice(cpu, 0, 2, 8), "cores / threads_per_run");
        assertEquals(1, DeviceSlots.runsPerDevice(cpu, 0, 16, 8));
        assertEquals(3, DeviceSlots.runsPerDevice(cpu, 3, 2, 8), "an explicit k wins");
        List<Slot> slots = DeviceSlots.slots(cpu, 2, 0, 2);
        assertEquals(List.of(new Slot(0, "cpu", 1), new Slot(1, "cpu", 1)), slots);
        assertEquals(4, DeviceSlots.slots(cpu, 1, 0, 4).get(0).threads());
        assertEquals(3, DeviceSlots.slots(cpu, 2, 3, 4).get(0).threads(), "threads_per_run as given");
        assertEquals("2 runs at once on the CPU, 1 thread each", DeviceSlots.describe(slots));
    }
}
