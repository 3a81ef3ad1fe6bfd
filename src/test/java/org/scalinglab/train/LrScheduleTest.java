package org.scalinglab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scalinglab.config.TrainConfig.ScheduleConfig;
import org.scalinglab.config.TrainConfig.ScheduleKind;

class LrScheduleTest {
    static LrSchedule schedule(ScheduleKind kind, long steps, long warmup) {
        return new LrSchedule(new ScheduleConfig(kind, 0, 0, 0.1, 0.2), 1.0, steps, warmup);
    }

    @Test
    void warmupIsLinearToThePeak() {
        LrSchedule s = schedule(ScheduleKind.COSINE, 100, 10);
        for (int i = 0; i < 10; i++) {
            assertEquals((i + 1) / 10.0, s.at(i), 1e-12);
        }
    }

    @Test
    void cosineDecaysMonotonicallyToTheFloorAtTheLastStep() {
        LrSchedule s = schedule(ScheduleKind.COSINE, 100, 10);
        for (int i = 10; i < 99; i++) {
            assertTrue(s.at(i + 1) <= s.at(i), "step " + i);
        }
        assertEquals(0.1, s.at(99), 1e-12, "Chinchilla's floor: 10% of the peak, reached at the last step");
        // half way through the decay the cosine is at the mean of peak and floor
        LrSchedule even = schedule(ScheduleKind.COSINE, 110, 10);
        assertEquals(0.55, even.at(59), 1e-12);
    }

    @Test
    void constantStaysAtThePeak() {
        LrSchedule s = schedule(ScheduleKind.CONSTANT, 50, 5);
        assertEquals(1.0, s.at(5), 0);
        assertEquals(1.0, s.at(49), 0);
    }

    @Test
    void warmupStableDecayCoolsDownInOneMinusSqrtShape() {
        LrSchedule s = schedule(ScheduleKind.WSD, 100, 10);
        assertEquals(80, s.cooldownStart());
        assertEquals(1.0, s.at(79), 0, "stable until the cooldown");
        assertEquals(0.1, s.at(99), 1e-12);
        // after half of the 20 cooldown steps: floor + (1 - floor)(1 - sqrt(1/2))
        assertEquals(0.1 + 0.9 * (1 - Math.sqrt(0.5)), s.at(89), 1e-12);
    }
}
