package org.scalinglab.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** train.eval_per_decade: log-spaced evaluations on top of eval_every, and run ids made before it unchanged. */
class EvalScheduleTest {
    private static TrainConfig train(String... sets) {
        return ConfigLoader.load(Path.of("configs/tiny-cpu.yaml"), List.of(sets)).train();
    }

    private static List<Long> due(TrainConfig t, long last) {
        List<Long> steps = new ArrayList<>();
        LongStream.rangeClosed(1, last).filter(s -> t.evaluatesAfter(s, last)).forEach(steps::add);
        return steps;
    }

    @Test
    void fourPerDecadeEvaluatesAtTheRoundedPowersAsWellAsEveryEvalEveryStepsAndTheLast() {
        TrainConfig t = train("train.eval_every=1000", "train.eval_per_decade=4");
        assertEquals(List.of(1L, 2L, 3L, 6L, 10L, 18L, 32L, 56L, 100L, 178L, 316L, 562L, 1000L, 1778L, 2000L, 2340L),
                due(t, 2340));
        assertEquals(List.of(1000L, 2000L, 2340L), due(train("train.eval_every=1000"), 2340), "off: eval_every alone");
    }

    @Test
    void theCountOfEvaluationsIsTheOneBeforeTheFirstStepAndEveryStepThatEvaluates() {
        for (String k : List.of("1", "4", "10")) {
            for (int every : new int[] {1, 7, 100, 1000}) {
                TrainConfig t = train("train.eval_every=" + every, "train.eval_per_decade=" + k);
                for (long n : new long[] {1, 2, 9, 10, 99, 585, 1000, 2340, 10380}) {
                    assertEquals(1 + due(t, n).size(), t.evaluations(n), "k " + k + ", eval_every " + every + ", " + n);
                }
            }
        }
        TrainConfig off = train("train.eval_every=1000");
        assertEquals(1 + 3, off.evaluations(2340));
        assertEquals(1 + 2, off.evaluations(2000));
    }

    /**
     * A key added after ids were first made leaves the ids of configs that do not set it as they were: the
     * tiny CPU config's id, 805a8e6175a5, was made before eval_per_decade existed (ea9f902); setting the
     * key makes another run.
     */
    @Test
    void runIdsMadeBeforeTheKeyExistedAreUnchanged() {
        RunConfig c = ConfigLoader.load(Path.of("configs/tiny-cpu.yaml"), List.of());
        assertEquals("805a8e6175a5", c.id());
        RunConfig logSpaced = ConfigLoader.load(Path.of("configs/tiny-cpu.yaml"), List.of("train.eval_per_decade=4"));
        assertNotEquals(c.id(), logSpaced.id());
    }

    @Test
    void outOfRangeIsAConfigError() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(org.scalinglab.ScalingLabException.class,
                () -> ConfigLoader.load(Path.of("configs/tiny-cpu.yaml"), List.of("train.eval_per_decade=0")));
        assertTrue(e.getMessage().contains("train.eval_per_decade"), e.getMessage());
    }
}
