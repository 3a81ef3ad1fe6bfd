package org.scalinglab.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import org.scalinglab.config.RunConfig;
import org.scalinglab.config.TrainConfig.Precision;
import org.scalinglab.data.TokenData;
import org.scalinglab.engine.MemoryProbe;
import org.scalinglab.engine.TorchRuntime;
import org.scalinglab.model.Gpt;
import org.scalinglab.model.ParameterInit;

/**
 * Times the trainer's own step (the same classes a run uses: batches fed from the data, AdamW,
 * clipping, loss scaling) for a fixed number of steps, with no evaluation, logging or checkpoints.
 * What {@code scalinglab bench} and a sweep's throughput probe measure.
 */
public final class ThroughputMeasurement {

    /**
     * @param tokensPerSecond training tokens per second over the measured steps
     * @param msPerStep wall milliseconds per step
     * @param hostForwardMs host time per step spent issuing the forward pass
     * @param hostBackwardMs host time per step in backward (libtorch's autograd issuing kernels)
     * @param hostOptimizerMs host time per step from the gradient to the end of AdamW
     * @param memoryMiB device memory in use at the end, above what was in use before the run
     *     (GPU: libtorch's caching allocator; CPU: resident set growth)
     * @param memoryTrace (step, MiB) samples when asked for
     * @param finalLoss mean training loss of the measured steps (a sanity check)
     * @param startMillis wall-clock start of the timed steps, {@code endMillis} their end
     */
    public record Result(double tokensPerSecond, double msPerStep, double hostForwardMs, double hostBackwardMs,
            double hostOptimizerMs, double memoryMiB, List<double[]> memoryTrace, double finalLoss, long skippedSteps,
            long startMillis, long endMillis) {}

    private ThroughputMeasurement() {}

    /**
     * Runs {@code warmup} untimed steps then {@code steps} timed ones.
     *
     * @param traceEvery sample device memory every this many steps (0: never)
     * @param beforeTiming runs after the warm-up, before the clock starts (lines up several
     *     processes sharing a GPU)
     */
    public static Result measure(RunConfig config, int warmup, int steps, int traceEvery, Runnable beforeTiming) {
        TorchRuntime.requestTf32(config.train().precision() == Precision.TF32);
        TorchRuntime.threads(config.threads());
        Device device = TorchRuntime.device(config.device());
        TorchRuntime.precision(config.train().precision(), device);
        try (TokenData data = TokenData.open(config.data());
                NDManager manager = TorchRuntime.engine().newBaseManager(device)) {
            RunPlan plan = RunPlan.of(config, data.vocabSize());
            double baseline = MemoryProbe.usedMiB(device);
            DataType compute = config.train().precision() == Precision.FP16 ? DataType.FLOAT16 : DataType.FLOAT32;
            try (Scalars scalars = new Scalars(manager);
                    Gpt model = new Gpt(plan.shape(), manager, compute, config.model().attentionBlock());
                    TrainableParameters params = new TrainableParameters(manager, model.layout(),
                            FloatBuffer.wrap(ParameterInit.initialise(model.layout(), config.seed())), compute);
                    AdamW adam = new AdamW(config.train().optimizer(), manager, model.layout().size(), scalars,
                            null, null);
                    BatchFeeder feeder = new BatchFeeder(data.train(), config.seed(), config.train().batchSize(),
                            plan.shape().context(), config.train().gradAccum(), manager, 0, warmup + steps);
                    TrainStep step = new TrainStep(model, params, adam,
                            new LossScaler(config.train().precision() == Precision.FP16), scalars, manager,
                            config.train(), 0, new TrainStep.Sums(0, 0, 0), null)) {
                double lr = config.train().optimizer().lr();
                for (int s = 0; s < warmup; s++) {
                    step.run(feeder, s, lr);
                }
                step.readAndReset(); // waits for the warm-up steps to finish
                beforeTiming.run();
                long startMillis = System.currentTimeMillis();
                TrainStep.HostTimes before = step.hostTimes();
                List<double[]> trace = new ArrayList<>();
                long t0 = System.nanoTime();
                for (int s = warmup; s < warmup + steps; s++) {
                    step.run(feeder, s, lr);
                    int done = s - warmup + 1;
                    if (traceEvery > 0 && (done % traceEvery == 0 || done == 100)) {
                        step.sums(); // sync, so the sample sees the step's memory
                        trace.add(new double[] {done, MemoryProbe.usedMiB(device) - baseline});
                    }
                }
                TrainStep.Sums sums = step.readAndReset(); // waits for the device
                double seconds = (System.nanoTime() - t0) / 1e9;
                TrainStep.HostTimes after = step.hostTimes();
                return new Result(steps * plan.tokensPerStep() / seconds, 1e3 * seconds / steps,
                        1e3 * (after.forwardSeconds() - before.forwardSeconds()) / steps,
                        1e3 * (after.backwardSeconds() - before.backwardSeconds()) / steps,
                        1e3 * (after.optimizerSeconds() - before.optimizerSeconds()) / steps,
                        MemoryProbe.usedMiB(device) - baseline, trace,
                        sums.applied() == 0 ? Double.NaN : sums.loss() / sums.applied(), step.skipped(),
                        startMillis, System.currentTimeMillis());
            }
        }
    }
}
