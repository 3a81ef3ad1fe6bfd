package org.scalinglab.forecast;

import java.util.Locale;
import org.scalinglab.fit.TextTable;

/** A forecast as aligned text: what to train, what it reaches, what it costs, then the sections that apply. */
public final class ForecastText {
    private ForecastText() {}

    public static String render(Forecast f) {
        StringBuilder sb = new StringBuilder();
        sb.append("forecast under ").append(f.law().name()).append(": ").append(f.law().description()).append('\n');
        sb.append("target: ").append(f.target()).append('\n');
        TextTable t = new TextTable("  ", "quantity", "value", "interval");
        String lvl = f.ciLevel() == null ? "" : Math.round(100 * f.ciLevel()) + " %";
        t.row("N (" + f.law().paramConvention() + " parameters)", num(f.n()), ci(f, "N"));
        t.row("D (tokens)", num(f.d()), ci(f, "D"));
        t.row("tokens per parameter", num(f.tokensPerParam()), ci(f, "tokens_per_param"));
        t.row("loss", loss(f.loss()), ci(f, "loss"));
        t.row("compute C (" + f.computeConvention() + ")", num(f.compute()), ci(f, "compute"));
        t.row("6ND", num(f.flops6nd()), "");
        t.row("hardware FLOPs", num(f.flopsHardware()), "");
        Hardware h = f.hardware();
        t.row("GPU-hours", num(f.gpuHours()), "");
        t.row("wall-clock days on " + h.gpus() + " GPU" + (h.gpus() == 1 ? "" : "s"), num(f.wallDays()), "");
        t.row("cost", f.cost() == null ? "-" : num(f.cost()), "");
        t.row("memory per GPU (GiB)", String.format(Locale.ROOT, "%.1f", f.memoryGibPerGpu()), "");
        t.row("extrapolation (x fitted C)", Double.isFinite(f.extrapolation()) ? num(f.extrapolation()) : "-", "");
        sb.append(t);
        if (!lvl.isEmpty()) {
            sb.append("  intervals: ").append(lvl).append(" over ").append(f.ciSamples()).append(" bootstrap laws\n");
        }
        sb.append("  GPU: ").append(h.gpuDescription()).append(", ").append(h.precision()).append(", dense peak ")
                .append(num(h.peakFlopsPerS())).append(" FLOP/s; MFU ").append(String.format(Locale.ROOT, "%.3f", h.mfu()))
                .append(" (").append(h.mfuSource()).append(")").append(h.pricePerGpuHour() == null ? "; no --price"
                        : "; " + num(h.pricePerGpuHour()) + " per GPU-hour").append('\n');
        MemoryPlan m = f.memory();
        sb.append(String.format(Locale.ROOT, "  memory: states %.1f GiB per GPU%s, activations %.1f GiB (micro-batch %d "
                + "x %d tokens, recompute %s): %s the GPU's %.0f GiB%n", m.statesGibPerGpu(), m.shardedOver() > 1 ? " (sharded over "
                + m.shardedOver() + ")" : "", m.activationsGib(), m.microBatch(), m.context(),
                m.recompute().name().toLowerCase(Locale.ROOT), m.fits() ? "fits"
                : "does not fit", m.gpuMemoryGib()));
        ShapeRule.Shape s = f.shape();
        sb.append("  suggested shape: ").append(s.label()).append(", N ").append(num(s.params())).append(" (")
                .append(s.rule()).append(")\n");
        sb.append("  extrapolation: against the largest fitted compute, ").append(num(f.maxFittedFlops())).append(" (")
                .append(f.law().fittedRange()).append(")\n");
        if (f.overTraining() != null) {
            Forecast.OverTraining o = f.overTraining();
            sb.append("over-training:\n");
            TextTable ot = new TextTable("  ", "", "N", "D", "D/N", "compute", "loss");
            ot.row("this model", num(f.n()), num(f.d()), num(f.tokensPerParam()), num(o.compute()), loss(o.loss()));
            row(ot, "compute-optimal, same loss", o.computeOptimalSameLoss());
            row(ot, "compute-optimal, same compute", o.computeOptimalSameCompute());
            sb.append(ot);
            sb.append(String.format(Locale.ROOT, "  overhead: %sx the compute a compute-optimal model needs for this "
                    + "loss; with this compute a compute-optimal model reaches a loss %.4f nats %s%n", num(o.overhead()),
                    Math.abs(o.lossGap()), o.lossGap() >= 0 ? "lower" : "higher"));
        }
        if (f.inference() != null) {
            Forecast.Inference i = f.inference();
            sb.append("inference demand: ").append(num(i.inferenceTokens())).append(" tokens, at loss ")
                    .append(loss(i.loss())).append(" (").append(i.convention()).append("):\n");
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
                    + "(R* %s); repetition costs %.4f nats against fresh data%n", num(d.uniqueTokens()),
                    num(d.epochs()), num(d.effectiveTokens()), num(d.rStar()), d.lossLostToRepetition()));
            Forecast.Point u = d.unlimitedData();
            sb.append(String.format(Locale.ROOT, "  with unlimited data the same target: N %s, D %s, compute %s, loss "
                    + "%s (%.4f nats lost, %sx the compute)%n", num(u.n()), num(u.d()), num(u.compute()), loss(u.loss()),
                    d.lossLostVsUnlimited(), num(d.computeOverheadVsUnlimited())));
        }
        for (String n : f.notes()) {
            sb.append("note: ").append(n).append('\n');
        }
        return sb.toString();
    }

    private static void row(TextTable t, String name, Forecast.Point p) {
        t.row(name, num(p.n()), num(p.d()), num(p.tokensPerParam()), num(p.compute()), loss(p.loss()));
    }

    private static void life(TextTable t, String name, Forecast.Lifetime l) {
        t.row(name, num(l.n()), num(l.d()), num(l.tokensPerParam()), num(l.trainingFlops()), num(l.inferenceFlops()),
                num(l.totalFlops()));
    }

    private static String ci(Forecast f, String key) {
        return f.ci() == null || !f.ci().containsKey(key) ? "" : TextTable.interval(f.ci().get(key));
    }

    private static String loss(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String num(double v) {
        return TextTable.num(v);
    }
}
