package org.scalinglab.train;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.util.Locale;
import org.scalinglab.config.DataConfig.DataSource;
import org.scalinglab.config.DataConfig;
import org.scalinglab.config.TrainConfig;
import org.scalinglab.data.TokenData;
import org.scalinglab.engine.Tensors;
import org.scalinglab.engine.TorchRuntime;
import org.scalinglab.model.Gpt;
import org.scalinglab.model.GptShape;
import org.scalinglab.model.ParameterInit;

/**
 * What the measurements of issue 11 cost, as a program rather than a timed test (a shared machine makes
 * timed tests flaky), in one JVM on one thread (as a quickstart worker runs), on the embedded corpus at
 * context 64, per shape:
 *
 * <ul>
 *   <li>one evaluation of 128 validation windows (8 batches of 16) with the loss alone (as before the
 *       metrics), with every teacher-forced metric, and the greedy decoding of 32 continuation windows,
 *       timed over interleaved repetitions;
 *   <li>a training step of 2 micro-batches of 8 sequences (the quickstart's 16 sequences a step): its
 *       forward and backward passes, clipping and AdamW, against the gradient noise scale's own calls
 *       ({@link GradientNoise}) in the same steps.
 * </ul>
 *
 * Run from the project root:
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) org.scalinglab.train.MeasurementCost [reps [decoded]]
 * </pre>
 */
public final class MeasurementCost {
    private MeasurementCost() {}

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int context = 64;
        int windows = 128;
        int decoded = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        TorchRuntime.threads(1);
        int[][] shapes = {{1, 8, 1}, {1, 32, 2}, {2, 32, 2}, {2, 64, 4}, {3, 24, 3}, {4, 32, 4}};
        DataConfig dc = new DataConfig(DataSource.EMBEDDED, null, 256, 0.05, 65536, null);
        System.out.printf(Locale.ROOT, "cores %d, load average %.2f; context %d, %d windows, %d decoded, %d reps%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), context, windows, decoded, reps);
        System.out.println("shape       loss-only ms   all metrics ms   decode ms   (metrics - loss) / loss   decode / loss");
        try (TokenData data = TokenData.open(dc);
                NDManager m = TorchRuntime.engine().newBaseManager(Device.cpu())) {
            for (int[] sh : shapes) {
                GptShape s = new GptShape(256, context, sh[1], sh[0], sh[2], 4);
                try (Gpt gpt = new Gpt(s, m, DataType.FLOAT32);
                        TrainableParameters p = new TrainableParameters(m, gpt.layout(),
                                FloatBuffer.wrap(ParameterInit.initialise(gpt.layout(), 1)), DataType.FLOAT32);
                        Evaluator none = new Evaluator(data.val(), windows, windows, 16, context, 256, 0, m);
                        Evaluator all = new Evaluator(data.val(), windows, windows, 16, context, 256, decoded, m)) {
                    double loss = 0;
                    double metrics = 0;
                    double decode = 0;
                    for (int r = -2; r < reps; r++) { // two warm-up rounds
                        double l = lossOnly(gpt, p, data, context, windows, m);
                        Evaluator.Evaluation e0 = none.evaluate(gpt, p, true);
                        Evaluator.Evaluation e1 = all.evaluate(gpt, p, true);
                        if (r >= 0) {
                            loss += l;
                            metrics += e0.seconds();
                            decode += e1.decodeSeconds();
                        }
                    }
                    loss /= reps;
                    metrics /= reps;
                    decode /= reps;
                    System.out.printf(Locale.ROOT, "L%d d%-3d %14.2f %16.2f %11.2f %25.0f%% %15.0f%%%n", sh[0], sh[1],
                            1e3 * loss, 1e3 * metrics, 1e3 * decode, 100 * (metrics - loss) / loss, 100 * decode / loss);
                }
            }
            System.out.println("shape       step ms (2 x 8 sequences)   noise scale ms   share");
            for (int[] sh : shapes) {
                GptShape s = new GptShape(256, context, sh[1], sh[0], sh[2], 4);
                double[] t = step(s, data, m, reps * 10);
                System.out.printf(Locale.ROOT, "L%d d%-3d %27.3f %16.4f %7.1f%%%n", sh[0], sh[1], 1e3 * t[0], 1e3 * t[1],
                        100 * t[1] / t[0]);
            }
        }
    }

    /** Mean seconds of a whole step (noise calls included) and of its noise scale calls alone. */
    private static double[] step(GptShape s, TokenData data, NDManager m, int steps) {
        int micro = 2;
        int batch = 8;
        org.scalinglab.config.TrainConfig.OptimizerConfig opt =
                new org.scalinglab.config.TrainConfig.OptimizerConfig(1e-3, 0.9, 0.95, 1e-8, 0.1, 1.0);
        try (Scalars scalars = new Scalars(m);
                Gpt gpt = new Gpt(s, m, DataType.FLOAT32);
                TrainableParameters p = new TrainableParameters(m, gpt.layout(),
                        FloatBuffer.wrap(ParameterInit.initialise(gpt.layout(), 1)), DataType.FLOAT32);
                AdamW adam = new AdamW(opt, m, gpt.layout().size(), scalars, null, null);
                BatchFeeder feeder = new BatchFeeder(data.train(), 1, batch, s.context(), micro, m, 0, steps + 20);
                GradientNoise noise = new GradientNoise(m, micro, new GradientNoise.Sums(0, 0));
                ai.djl.pytorch.engine.PtNDArray seed = org.scalinglab.engine.Tensors.scalar(m, 1.0 / micro)) {
            long total = 0;
            long inNoise = 0;
            for (int st = 0; st < steps + 20; st++) {
                long t0 = System.nanoTime();
                long n = 0;
                try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
                    var leaf = p.leaf();
                    ai.djl.pytorch.jni.JniUtils.setGradMode(true);
                    for (int k = 0; k < micro; k++) {
                        BatchFeeder.Batch b = feeder.get(st, k);
                        var loss = (ai.djl.pytorch.engine.PtNDArray) gpt.loss(leaf, b.inputs(), b.targets());
                        ai.djl.pytorch.jni.JniUtils.backward(loss, seed, false, false);
                        long a = System.nanoTime();
                        try (var g = (ai.djl.pytorch.engine.PtNDArray) leaf.getGradient()) {
                            noise.afterBackward(g, k);
                        }
                        n += System.nanoTime() - a;
                    }
                    ai.djl.pytorch.jni.JniUtils.setGradMode(false);
                    var grad = p.gradient(leaf);
                    var norm = GlobalNormClip.clip(grad, 1.0, scalars);
                    adam.step(p.master(), p.decayed(), grad, 1e-3, st + 1, scalars);
                    long a = System.nanoTime();
                    noise.endStep(norm, null);
                    n += System.nanoTime() - a;
                }
                if (st >= 20) {
                    total += System.nanoTime() - t0;
                    inNoise += n;
                }
            }
            noise.sums();
            return new double[] {total / 1e9 / steps, inNoise / 1e9 / steps};
        }
    }

    /** The evaluation as it was before the metrics: per-window losses only, batch by batch. */
    private static double lossOnly(Gpt gpt, TrainableParameters p, TokenData data, int context, int windows,
            NDManager m) {
        var tiles = data.val().tiles(context, windows);
        long t0 = System.nanoTime();
        try (ai.djl.ndarray.NDScope scope = new ai.djl.ndarray.NDScope()) {
            ai.djl.pytorch.jni.JniUtils.setGradMode(false);
            var params = p.forEvaluation();
            int rows = (int) Math.max(16, Math.min(4096, Evaluator.LOGITS_PER_BATCH / ((long) context * 256)));
            for (int b = 0; b < windows; b += rows) {
                int n = Math.min(rows, windows - b);
                long[] x = new long[n * context];
                long[] y = new long[x.length];
                data.val().fillAt(tiles, b, n, x, y);
                try (var xi = m.create(x, new ai.djl.ndarray.types.Shape(n, context));
                        var yi = m.create(y, new ai.djl.ndarray.types.Shape((long) n * context, 1));
                        var l = gpt.windowLosses(params, xi, yi)) {
                    l.toFloatArray();
                }
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
