package org.scalinglab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;
import org.scalinglab.config.RunConfig;
import org.scalinglab.data.TokenData;
import org.scalinglab.engine.TorchRuntime;
import org.scalinglab.model.Gpt;
import org.scalinglab.model.ParameterInit;

/** Every array a step makes is released by the end of the step: the live count stays flat. */
class TrainStepMemoryTest {

    @Test
    void liveArraysStayFlatOverManySteps() {
        RunConfig c = TrainerTest.config("train: {steps: 100, grad_accum: 2}");
        RunPlan plan = RunPlan.of(c, 256);
        try (TokenData data = TokenData.open(c.data());
                NDManager manager = TorchRuntime.engine().newBaseManager(Device.cpu());
                Scalars scalars = new Scalars(manager);
                Gpt model = new Gpt(plan.shape(), manager, DataType.FLOAT32);
                TrainableParameters params = new TrainableParameters(manager, model.layout(),
                        FloatBuffer.wrap(ParameterInit.initialise(model.layout(), 1)), DataType.FLOAT32);
                AdamW adam = new AdamW(c.train().optimizer(), manager, model.layout().size(), scalars, null, null);
                BatchFeeder feeder = new BatchFeeder(data.train(), 1, 8, 32, 2, manager, 0, 100);
                TrainStep step = new TrainStep(model, params, adam, new LossScaler(false), scalars, manager,
                        c.train(), 0, new TrainStep.Sums(0, 0, 0), null)) {
            int afterWarmup = 0;
            for (int s = 0; s < 100; s++) {
                step.run(feeder, s, 1e-3);
                if (s == 9) {
                    afterWarmup = manager.getManagedArrays().size();
                }
            }
            assertEquals(afterWarmup, manager.getManagedArrays().size());
            assertEquals(100, step.readAndReset().applied());
        }
    }
}
