package org.scalinglab.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.RunConfig;
import org.scalinglab.config.TrainConfig.Precision;
import org.scalinglab.config.TrainConfig;
import org.scalinglab.data.TokenData;
import org.scalinglab.engine.GpuInfo;
import org.scalinglab.engine.MemoryProbe;
import org.scalinglab.engine.PeakFlops;
import org.scalinglab.engine.TorchRuntime;
import org.scalinglab.io.AtomicFiles;
import org.scalinglab.io.FolderLock;
import org.scalinglab.model.Flops;
import org.scalinglab.model.Gpt;
import org.scalinglab.model.ParameterCounts;
import org.scalinglab.model.ParameterInit;
import org.scalinglab.model.ParameterLayout;
import org.scalinglab.train.runfolder.MetricsLog;
import org.scalinglab.train.runfolder.MetricsRow;
import org.scalinglab.train.runfolder.RunFolder;
import org.scalinglab.train.runfolder.RunRecords.RunInfo;
import org.scalinglab.train.runfolder.RunRecords.RunResult;
import org.scalinglab.train.runfolder.RunRecords;
import org.scalinglab.train.runfolder.RunStatus;

/**
 * Trains one run into its folder, from scratch or from the folder's checkpoint, and returns how it
 * ended. A diverged run is a result, not an exception.
 *
 * <p>The loop, per step: set the learning rate; forward and backward over the micro-batches; turn
 * the gradient into float32 (and check it for overflow in float16); clip; AdamW; every
 * {@code log_every} steps read the accumulated loss (the only device sync), evaluate when due,
 * append a metrics row and check for divergence; checkpoint when due.
 */
public final class Trainer {
    private final RunConfig config;
    private final Path runDir;
    private final RunFolder folder;
    private final TrainingListener listener;
    private Path startFrom;
    private Set<Long> keptSteps = Set.of();
    private FolderLock held;

    public Trainer(RunConfig config, Path runDir, TrainingListener listener) {
        this.config = config;
        this.runDir = runDir;
        this.folder = new RunFolder(runDir);
        this.listener = listener;
    }

    /**
     * Starts the run, when its folder has no checkpoint of its own, from another run's checkpoint of
     * the same shape: that run's parameters, AdamW moments, counters and metrics rows up to its step,
     * continued under this run's config and schedule. A sweep's warmup-stable-decay cooldowns branch
     * off a stable-phase run this way; run.json records the origin under provenance.branched_from.
     */
    public Trainer startingFrom(Path checkpoint) {
        this.startFrom = checkpoint;
        return this;
    }

    /** Also keeps the checkpoint of each of these steps, as {@link #keptCheckpoint}, for branches to start from. */
    public Trainer keepingCheckpointsAt(Collection<Long> steps) {
        this.keptSteps = Set.copyOf(steps);
        return this;
    }

    /** The caller (a sweep worker) holds the run folder's lock already, so the trainer does not take it. */
    public Trainer holding(FolderLock lock) {
        if (!lock.file().equals(folder.lockFile())) {
            throw new IllegalArgumentException(lock.file() + " is not the lock of " + runDir);
        }
        this.held = lock;
        return this;
    }

    /** Where {@link #keepingCheckpointsAt} puts the checkpoint of {@code step}. */
    public static Path keptCheckpoint(Path runDir, long step) {
        return RunCheckpoints.kept(runDir, step);
    }

    public RunResult run() {
        AtomicFiles.ensureWritableDirectory(runDir);
        try (FolderLock lock = held != null ? null : FolderLock.acquire(folder.lockFile(), "run folder " + runDir)) {
            return runLocked();
        }
    }

    private RunResult runLocked() {
        checkFolderBelongsToThisRun();
        RunResult previous = folder.finished(config.id());
        if (previous != null) {
            listener.finished(previous);
            return previous;
        }
        TorchRuntime.requestTf32(config.train().precision() == Precision.TF32);
        Engine engine = TorchRuntime.engine();
        TorchRuntime.threads(config.threads());
        Device device = TorchRuntime.device(config.device());
        TrainConfig t = config.train();
        TorchRuntime.precision(t.precision(), device);
        // before anything is allocated: a model too big for the device or this JVM is a config error
        RunPlan sized = RunPlan.of(config, config.data().vocabSize());
        RunPlan.requireWarmupWithinRun(config, sized, "");
        MemoryEstimate.check(config, sized, deviceName(device), Runtime.getRuntime().maxMemory(),
                MemoryEstimate.maxDirectMemory());
        JniUtils.setGradMode(false);

        try (TokenData data = TokenData.open(config.data())) {
            if (data.vocabSize() != config.data().vocabSize()) {
                throw ScalingLabException.config("config key 'data.vocab_size' is " + config.data().vocabSize()
                        + " but the data has " + data.vocabSize() + " tokens", "set data.vocab_size: " + data.vocabSize());
            }
            RunPlan plan = RunPlan.of(config, data.vocabSize());
            checkDataFits(data, plan);
            Checkpoint.Loaded resume = new RunCheckpoints(runDir).loadOwn();
            boolean branched = resume == null && startFrom != null;
            if (branched) {
                resume = Checkpoint.load(startFrom);
            }
            try (NDManager manager = engine.newBaseManager(device);
                    Loop loop = new Loop(plan, data, manager, device, resume, branched)) {
                return loop.run();
            } catch (EngineException e) {
                RunResult failed = EngineFailure.result(config, plan, data, device, e);
                folder.writeResult(failed);
                throw EngineFailure.error(config, e);
            }
        }
    }

    private void checkFolderBelongsToThisRun() {
        RunInfo info = folder.info();
        if (info != null) {
            String id = info.runId() == null ? "" : info.runId();
            if (!id.equals(config.id())) {
                throw ScalingLabException.output("run folder " + runDir + " holds run " + id
                        + ", made from a different config than this one (" + config.id() + ")",
                        "choose another folder with --out, or delete that one", null);
            }
        }
    }

    private void checkDataFits(TokenData data, RunPlan plan) {
        int context = plan.shape().context();
        if (data.train().validStarts(context) <= 0 || data.val().validStarts(context) <= 0) {
            throw ScalingLabException.data("the data's splits are too short for a context of " + context + " tokens",
                    "use more data or a shorter model.context");
        }
    }

    /**
     * One run's training loop, on one device: the parts it drives, and its {@link LoopState}, which is
     * what a checkpoint keeps of it.
     */
    private final class Loop implements AutoCloseable {
        private final RunPlan plan;
        private final TokenData data;
        private final NDManager manager;
        private final Device device;
        private final TrainConfig t;
        private final Scalars scalars;
        private final Gpt model;
        private final TrainableParameters params;
        private final AdamW adam;
        private final LossScaler scaler;
        private final Evaluator evaluator;
        private final NoiseScale noise;
        private final LrSchedule schedule;
        private final OptionalDouble peak;
        private final long startedNanos = System.nanoTime();
        private final Checkpoint.Loaded resume;
        private final boolean branched;
        private final RunCheckpoints checkpoints = new RunCheckpoints(runDir);
        /** The loop's counters: the checkpoint's when resumed, a new run's otherwise; what a checkpoint keeps. */
        private final LoopState state;
        /** Wall seconds of the run's earlier starts. */
        private final double priorElapsed;

        private BatchFeeder feeder;
        private MetricsLog metrics;
        private TrainStep stepper;
        /** Skipped steps counted up to the last metrics row. */
        private long rowSkippedMark;
        // the last evaluation after step 0 and the last row's train loss, for the result: not kept in a
        // checkpoint, since the run's last step always evaluates and logs a row
        private Evaluator.Evaluation lastEval;
        private Double lastTrain;

        Loop(RunPlan plan, TokenData data, NDManager manager, Device device, Checkpoint.Loaded resume,
                boolean branched) {
            this.plan = plan;
            this.data = data;
            this.manager = manager;
            this.device = device;
            this.t = config.train();
            this.scalars = new Scalars(manager);
            this.branched = branched;
            boolean fp16 = t.precision() == Precision.FP16;
            DataType compute = fp16 ? DataType.FLOAT16 : DataType.FLOAT32;
            this.model = new Gpt(plan.shape(), manager, compute, config.model().attentionBlock());
            ParameterLayout layout = model.layout();
            ParameterCounts counted = layout.counts();
            if (!counted.equals(plan.params())) {
                throw new IllegalStateException("built model has " + counted + " parameters, the closed form " + plan.params());
            }
            if (resume != null) {
                checkpoints.checkBelongsHere(resume.state(), config.id(), branched, layout.size());
            }
            this.state = resume != null ? resume.state() : new LoopState();
            this.priorElapsed = state.elapsedSeconds;
            this.rowSkippedMark = state.skippedSteps;
            this.params = new TrainableParameters(manager, layout, resume != null ? resume.params()
                    : FloatBuffer.wrap(ParameterInit.initialise(layout, config.seed())), compute);
            this.adam = new AdamW(t.optimizer(), manager, layout.size(), scalars,
                    resume == null ? null : resume.firstMoment(), resume == null ? null : resume.secondMoment());
            this.scaler = new LossScaler(fp16);
            if (resume != null) {
                scaler.restore(state.lossScale, state.cleanSteps);
            }
            this.resume = resume;
            this.evaluator = new Evaluator(data.val(), t.evalWindows(), t.finalEvalWindows(), t.batchSize(),
                    plan.shape().context(), plan.shape().vocab(), t.continuationWindows(), manager);
            this.noise = t.gradAccum() >= 2 ? new NoiseScale(t.gradAccum(), (long) t.batchSize() * plan.shape().context(),
                    t.noiseScaleEma(), state.noiseAverages) : null;
            this.schedule = new LrSchedule(t.schedule(), t.optimizer().lr(), plan.steps(), plan.warmupSteps());
            this.peak = device.isGpu() ? PeakFlops.of(GpuInfo.of(device.getDeviceId()).name(), t.precision())
                    : OptionalDouble.empty();
        }

        RunResult run() {
            if (resume == null || branched) {
                Map<String, Object> provenance = Provenance.collect(device);
                if (branched) {
                    provenance.put("branched_from", Map.of("run_id", state.runId, "step", state.step,
                            "checkpoint", startFrom.toAbsolutePath().toString()));
                    copyMetricsPrefix(new RunFolder(startFrom.getParent()).metricsCsv(), state.metricsBytes);
                }
                folder.writeInfo(RunInfo.of(config, plan.derived(config), data.provenance(), provenance,
                        Instant.now().toString()));
            }
            if (resume != null && !branched && keptSteps.contains(state.step) && !checkpoints.isKept(state.step)) {
                // killed between the checkpoint at a branch point and its kept copy: the loop goes on
                // from step + 1 and would never keep it, so the branches would be blocked for good
                checkpoints.keep(state.step);
            }
            metrics = folder.openMetrics(resume == null ? -1 : state.metricsBytes);
            feeder = new BatchFeeder(data.train(), config.seed(), t.batchSize(), plan.shape().context(),
                    t.gradAccum(), manager, state.step, plan.steps());
            stepper = new TrainStep(model, params, adam, scaler, scalars, manager, t, rowSkippedMark,
                    state.carriedSums(), state.carriedNoise());
            listener.started(config, plan, data.describe(), deviceName(device), state.step);

            if (state.step == 0) {
                Evaluator.Evaluation e = evaluator.evaluate(model, params, false);
                state.evalSeconds += e.seconds();
                state.decodeSeconds += e.decodeSeconds();
                state.initialLoss = e.loss();
                state.lastValLoss = state.initialLoss;
                state.bestValLoss = state.initialLoss;
                appendRow(null, null, null, e, null);
                state.rowStartSeconds = 0;
            }
            long clock = System.nanoTime();
            while (state.step < plan.steps()) {
                stepper.run(feeder, state.step, schedule.at(state.step));
                long step = ++state.step;
                boolean evalDue = t.evaluatesAfter(step, plan.steps());
                boolean rowDue = step % t.logEvery() == 0 || evalDue;
                boolean keepDue = keptSteps.contains(step) && step < plan.steps();
                boolean checkpointDue = (t.checkpointEvery() > 0 && step % t.checkpointEvery() == 0 || keepDue)
                        && step < plan.steps();
                if (rowDue || checkpointDue) {
                    stepper.sums(); // waits for the device, so the clock counts the steps' real time
                    state.trainSeconds += (System.nanoTime() - clock) / 1e9;
                    if (rowDue) {
                        RunResult diverged = logRow(evalDue);
                        if (diverged != null) {
                            return diverged;
                        }
                    }
                    if (checkpointDue) {
                        checkpoint();
                        if (keepDue) {
                            checkpoints.keep(step);
                        }
                    }
                    clock = System.nanoTime();
                }
            }
            if (t.keepFinalCheckpoint()) {
                checkpoint();
            }
            RunResult result = result(RunStatus.COMPLETED, "");
            folder.writeResult(result);
            if (!t.keepFinalCheckpoint()) {
                checkpoints.delete();
            }
            listener.finished(result);
            return result;
        }

        /** Reads the interval's means, evaluates if due, appends the row; returns a result if diverged. */
        private RunResult logRow(boolean evalDue) {
            TrainStep.Sums sums = stepper.readAndReset();
            long applied = sums.applied();
            GradientNoise.Sums noiseSums = stepper.noiseReadAndReset();
            NoiseScale.Row noiseRow = noise == null ? null : noise.update(noiseSums.small(), noiseSums.big(), applied);
            double meanLoss = applied == 0 ? Double.NaN : sums.loss() / applied;
            double meanNorm = applied == 0 ? Double.NaN : sums.norm() / applied;
            long stepsInRow = applied + (stepper.skipped() - rowSkippedMark);
            rowSkippedMark = stepper.skipped();
            double seconds = state.trainSeconds - state.rowStartSeconds;
            Double tps = seconds > 0 ? stepsInRow * plan.tokensPerStep() / seconds : null;
            state.rowStartSeconds = state.trainSeconds;
            Double val = null;
            Evaluator.Evaluation e = null;
            if (evalDue) {
                e = evaluator.evaluate(model, params, state.step == plan.steps());
                val = e.loss();
                state.lastValLoss = val;
                state.bestValLoss = state.bestValLoss == null || val < state.bestValLoss ? val : state.bestValLoss;
                lastEval = e;
                state.evalSeconds += e.seconds();
                state.decodeSeconds += e.decodeSeconds();
            }
            if (applied > 0) {
                lastTrain = meanLoss;
            }
            appendRow(applied == 0 ? null : meanLoss, applied == 0 ? null : meanNorm, tps, e, noiseRow);
            return divergence(applied == 0 ? state.initialLoss : meanLoss, val);
        }

        private RunResult divergence(double trainLoss, Double val) {
            String why = Divergence.reason(t, scaler, state.initialLoss, trainLoss, val);
            if (why == null) {
                return null;
            }
            String message = "diverged at step " + state.step + ": " + why + "; try " + Divergence.advice(t, plan);
            RunResult result = result(RunStatus.DIVERGED, message);
            folder.writeResult(result);
            checkpoints.delete();
            listener.finished(result);
            return result;
        }

        private void appendRow(Double trainLoss, Double gradNorm, Double tps, Evaluator.Evaluation val,
                NoiseScale.Row noiseRow) {
            Double mfu = mfu(tps);
            Map<String, Double> extra = new LinkedHashMap<>();
            if (val != null) {
                extra.putAll(Evaluator.metricCells(val.metrics()));
                extra.put("eval_s", val.seconds());
                extra.put("decode_s", val.decodeSeconds());
            }
            if (noiseRow != null) {
                extra.put("gns_g2", noiseRow.g2());
                extra.put("gns_trace", noiseRow.trace());
                extra.put("b_simple", noiseRow.bSimple());
            }
            double mem = MemoryProbe.usedMiB(device);
            long step = state.step;
            MetricsRow row = new MetricsRow(step, step * plan.tokensPerStep(), step * plan.tokensPerStep()
                    * plan.flopsPerToken().kaplan(), step * plan.tokensPerStep() * plan.flopsPerToken().chinchilla(),
                    trainLoss, val == null ? null : val.loss(), val == null ? null : finite(val.se()),
                    step == 0 ? 0 : schedule.at(step - 1), gradNorm, scaler.scale(), tps, mfu,
                    Double.isNaN(mem) ? null : mem, elapsed(), extra);
            metrics.append(row);
            listener.row(row, plan);
        }

        private double elapsed() {
            return priorElapsed + (System.nanoTime() - startedNanos) / 1e9;
        }

        private void checkpoint() {
            long bytes = metrics.sync();
            state.capture(config.id(), model.layout().size(), bytes, scaler, stepper, noise, elapsed());
            checkpoints.save(state, params.master(), adam.firstMoment(), adam.secondMoment());
        }

        /** A branch's metrics.csv begins as its origin's rows up to the checkpoint. */
        private void copyMetricsPrefix(Path from, long bytes) {
            try (InputStream in = Files.newInputStream(from)) {
                byte[] prefix = in.readNBytes(Math.toIntExact(bytes));
                if (prefix.length < bytes) {
                    throw ScalingLabException.data(from + " is shorter than the checkpoint " + startFrom
                            + " recorded", "start the branch from a checkpoint of a run whose metrics.csv is intact");
                }
                folder.writeMetrics(prefix);
            } catch (java.io.IOException e) {
                throw new ScalingLabException(ExitCode.DATA, "cannot read " + from + ": " + e.getMessage(), null, e);
            }
        }

        private RunResult result(RunStatus status, String message) {
            double wall = elapsed();
            long step = state.step;
            // a diverged run has no final loss: its last evaluation may be the one at step 0
            Double finalVal = status == RunStatus.COMPLETED ? state.lastValLoss : null;
            OptionalDouble floor = data.lossFloor(config.model().context());
            long tokens = step * plan.tokensPerStep();
            Flops.PerToken perToken = plan.flopsPerToken();
            return new RunResult(config.id(), status, message,
                    new RunResult.Trained(plan.params(), tokens, step, tokens / (double) data.trainTokens()),
                    new RunResult.Compute(new RunRecords.FlopCounts(tokens * perToken.kaplan(),
                            tokens * perToken.chinchilla(), tokens * perToken.chinchillaA4()), perToken, t.flops()),
                    new RunResult.Losses(finalVal,
                            finalVal == null ? null : finite(lastEval == null ? Double.NaN : lastEval.se()),
                            lastEval == null ? 0 : lastEval.tokens(), lastTrain, state.bestValLoss),
                    new RunResult.Speed(wall, state.trainSeconds, throughput(), mfu(throughput())),
                    new RunResult.Setup(RunRecords.ModelInfo.of(plan.shape()), TorchRuntime.name(t.precision()),
                            deviceName(device), data.sha256(),
                            data.entropyRate().isPresent() ? data.entropyRate().getAsDouble() : null,
                            floor.isPresent() ? floor.getAsDouble() : null),
                    stepper.skipped(), Instant.now().toString(),
                    new RunResult.Evaluations(finalVal == null || lastEval == null ? null
                            : Evaluator.metricCells(lastEval.metrics()), state.evalSeconds, state.decodeSeconds));
        }

        /** Mean training tokens/s of the run, evaluation and checkpoints excluded. */
        private Double throughput() {
            return state.trainSeconds > 0 ? state.step * plan.tokensPerStep() / state.trainSeconds : null;
        }

        /** PaLM's MFU (its appendix B count, as nanoGPT's), the same as {@code scalinglab bench} reports. */
        private Double mfu(Double tokensPerSecond) {
            return tokensPerSecond != null && peak.isPresent()
                    ? tokensPerSecond * Flops.palm(plan.shape()) / peak.getAsDouble() : null;
        }

        @Override
        public void close() {
            if (stepper != null) {
                stepper.close();
            }
            if (feeder != null) {
                feeder.close();
            }
            if (metrics != null) {
                metrics.close();
            }
            model.close();
            params.close();
            adam.close();
            evaluator.close();
            scalars.close();
        }
    }

    /** {@code cpu} or {@code gpu:N}, as configs name devices. */
    public static String deviceName(Device device) {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
