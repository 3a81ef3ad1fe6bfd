package org.scalinglab.forecast;

import java.util.Locale;
import org.scalinglab.text.Numbers;
import org.scalinglab.text.TextTable;

/** A forecast as aligned text: what to train, what it reaches, what it costs, then the sections that apply. */
public final class ForecastText {
    private ForecastText() {}

    public static String render(Forecast f) {
        StringBuilder sb = new StringBuilder();
        sb.append("forecast under ").append(f.law().name()).append(": ").append(f.law().description()).append('\n');
        sb.append("target: ").append(f.target()).append('\n');
        TextTable t = new TextTable("  ", "quantity", "value", "interval");
        String lvl = f.ciLevel() == null ? "" : Math.round(100 * f.ciLevel()) + " %";
        Hardware h = f.hardware();
        t.row("N (" + f.law().paramConvention() + " parameters)", Numbers.count(f.n()) + " parameters", counts(f, "N"));
        t.row("D", Numbers.count(f.d()) + " tokens", counts(f, "D"));
        t.row("tokens per parameter", Numbers.sig4(f.tokensPerParam()), ci(f, "tokens_per_param"));
        t.row("loss", Numbers.fixed(f.loss(), 4) + " nats/token", ci(f, "loss"));
        t.row("compute C (" + f.computeConvention() + ")", Numbers.sci(f.compute()) + " FLOPs", ci(f, "compute"));
        t.row("6ND", Numbers.sci(f.flops6nd()) + " FLOPs", "");
        t.row("hardware FLOPs", Numbers.sci(f.flopsHardware()) + " FLOPs", "");
        t.row("GPU-hours", Numbers.count(f.gpuHours()) + " " + h.gpu() + "-hours", "");
        t.row("wall-clock on " + h.gpus() + " GPU" + (h.gpus() == 1 ? "" : "s"), days(f.wallDays()), "");
        t.row("cost", f.cost() == null ? "- (give --price)" : Numbers.count(f.cost()) + " " + h.currency(), "");
        t.row("memory per GPU", Numbers.fixed(f.memoryGibPerGpu(), 1) + " GiB", "");
        t.row("extrapolation", Double.isFinite(f.extrapolation()) ? Numbers.sig4(f.extrapolation()) + "x the largest "
                + "fitted C" : "-", "");
        TrainingSettings ts = f.training();
        if (ts != null) {
            t.row("batch", Numbers.count(ts.batchTokens()) + " tokens (" + ts.batchSequences() + " x "
                    + f.shape().context() + ")", "");
            t.row("peak learning rate", Numbers.sig4(ts.lr()), "");
            t.row("steps", Numbers.count(ts.steps()), "");
        }
        sb.append(t);
        if (!lvl.isEmpty()) {
            sb.append("  intervals: ").append(lvl).append(" over ").append(f.ciSamples()).append(" bootstrap laws\n");
        }
        sb.append("  GPU: ").append(h.gpuDescription()).append(", ").append(h.precision()).append(", dense peak ")
                .append(Numbers.sig4(h.peakFlopsPerS())).append(" FLOP/s; MFU ").append(String.format(Locale.ROOT, "%.3f", h.mfu()))
                .append(" (").append(h.mfuSource()).append(")").append(h.pricePerGpuHour() == null ? "; no --price"
                        : "; " + Numbers.sig4(h.pricePerGpuHour()) + " " + h.currency() + " per GPU-hour")
                .append(h.goodput() < 1 ? "; goodput " + Numbers.sig4(h.goodput()) : "").append('\n');
        MemoryPlan m = f.memory();
        sb.append(String.format(Locale.ROOT, "  memory: states %.1f GiB per GPU%s, activations %.1f GiB (micro-batch %d "
                + "x %d tokens, recompute %s): %s the GPU's %.0f GiB%n", m.statesGibPerGpu(), m.shardedOver() > 1 ? " (sharded over "
                + m.shardedOver() + ")" : "", m.activationsGib(), m.microBatch(), m.context(),
                m.recompute().name().toLowerCase(Locale.ROOT), m.fits() ? "fits"
                : "does not fit", m.gpuMemoryGib()));
        ShapeRule.Shape s = f.shape();
        sb.append("  suggested shape: ").append(s.label()).append(", N ").append(Numbers.sig4(s.params())).append(" (")
                .append(s.rule()).append(")\n");
        sb.append("  extrapolation: against the largest fitted compute, ").append(Numbers.sig4(f.maxFittedFlops())).append(" (")
                .append(f.law().fittedRange()).append(")\n");
        if (ts != null) {
            sb.append("  batch: ").append(ts.batchSource()).append('\n');
            sb.append("  learning rate: ").append(ts.lrSource()).append('\n');
        }
        if (f.overTraining() != null) {
            Forecast.OverTraining o = f.overTraining();
            sb.append("over-training:\n");
            TextTable ot = new TextTable("  ", "", "N", "D", "D/N", "compute", "loss");
            ot.row("this model", Numbers.sig4(f.n()), Numbers.sig4(f.d()), Numbers.sig4(f.tokensPerParam()), Numbers.sig4(o.compute()), Numbers.fixed(o.loss(), 4));
            row(ot, "compute-optimal, same loss", o.computeOptimalSameLoss());
            row(ot, "compute-optimal, same compute", o.computeOptimalSameCompute());
            sb.append(ot);
            sb.append(String.format(Locale.ROOT, "  overhead: %sx the compute a compute-optimal model needs for this "
                    + "loss; with this compute a compute-optimal model reaches a loss %.4f nats %s%n", Numbers.sig4(o.overhead()),
                    Math.abs(o.lossGap()), o.lossGap() >= 0 ? "lower" : "higher"));
        }
        if (f.inference() != null) {
            Forecast.Inference i = f.inference();
            sb.append("inference demand: ").append(Numbers.sig4(i.inferenceTokens())).append(" tokens, at loss ")
                    .append(Numbers.fixed(i.loss(), 4)).append(" (").append(i.convention()).append("):\n");
            TextTable it = new TextTable("  ", "", "N", "D", "D/N", "training", "inference", "total");
            if (i.plan() != null) {
                life(it, "this model", i.plan());
            }
            life(it, "compute-optimal", i.computeOptimal());
            life(it, "inference-optimal", i.inferenceOptimal());
            sb.append(it);
            sb.append(String.format(Locale.ROOT, "  the inference-optimal model saves %.1f %% of the total FLOPs%n",
                    100 * i.saving()));
        }
        if (f.data() != null) {
            Forecast.DataLimit d = f.data();
            sb.append(String.format(Locale.ROOT, "repeated data: %s unique tokens, %s epochs, worth %s fresh tokens "
                    + "(R* %s); repetition costs %.4f nats against fresh data%n", Numbers.sig4(d.uniqueTokens()),
                    Numbers.sig4(d.epochs()), Numbers.sig4(d.effectiveTokens()), Numbers.sig4(d.rStar()), d.lossLostToRepetition()));
            Forecast.Point u = d.unlimitedData();
            sb.append(String.format(Locale.ROOT, "  with unlimited data the same target: N %s, D %s, compute %s, loss "
                    + "%s (%.4f nats lost, %sx the compute)%n", Numbers.sig4(u.n()), Numbers.sig4(u.d()), Numbers.sig4(u.compute()), Numbers.fixed(u.loss(), 4),
                    d.lossLostVsUnlimited(), Numbers.sig4(d.computeOverheadVsUnlimited())));
        }
        for (String n : f.notes()) {
            sb.append("note: ").append(n).append('\n');
        }
        return sb.toString();
    }

    private static void row(TextTable t, String name, Forecast.Point p) {
        t.row(name, Numbers.sig4(p.n()), Numbers.sig4(p.d()), Numbers.sig4(p.tokensPerParam()), Numbers.sig4(p.compute()), Numbers.fixed(p.loss(), 4));
    }

    private static void life(TextTable t, String name, Forecast.Lifetime l) {
        t.row(name, Numbers.sig4(l.n()), Numbers.sig4(l.d()), Numbers.sig4(l.tokensPerParam()), Numbers.sig4(l.trainingFlops()), Numbers.sig4(l.inferenceFlops()),
                Numbers.sig4(l.totalFlops()));
    }

    /** Days, or hours under one day. */
    static String days(double d) {
        return d < 1 ? Numbers.sig4(24 * d) + " hours" : Numbers.count(d) + " days";
    }

    /** An interval of counts: [1.2B, 3.4B]. */
    private static String counts(Forecast f, String key) {
        if (f.ci() == null || !f.ci().containsKey(key)) {
            return "";
        }
        double[] iv = f.ci().get(key);
        return "[" + Numbers.count(iv[0]) + ", " + Numbers.count(iv[1]) + "]";
    }

    private static String ci(Forecast f, String key) {
        return f.ci() == null || !f.ci().containsKey(key) ? "" : Numbers.interval(f.ci().get(key));
    }
}
