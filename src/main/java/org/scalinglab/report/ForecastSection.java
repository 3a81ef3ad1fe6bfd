package org.scalinglab.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.knowm.xchart.XYChart;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.engine.PeakFlops;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.law.Law;
import org.scalinglab.fit.optim.Bootstrap;
import org.scalinglab.forecast.Forecast;
import org.scalinglab.forecast.Forecaster;
import org.scalinglab.forecast.Hardware;
import org.scalinglab.forecast.LawSource;
import org.scalinglab.forecast.MeasuredMfu;
import org.scalinglab.forecast.ShapeRule;
import org.scalinglab.forecast.Target;
import org.scalinglab.model.ShapeFamily;
import org.scalinglab.text.Numbers;

/**
 * The report's forecast: figure 10, the loss-against-compute frontier extended to 1000x the sweep with
 * over-training curves of a few fixed sizes and the bootstrap band, and the table of the compute-optimal
 * plan at 10x, 100x and 1000x in GPU-hours on the GPU the sweep ran on at the MFU it measured (a stated
 * default where it measured none, as on the CPU). The plans are {@code scalinglab forecast}'s.
 */
final class ForecastSection {
    static final double[] FACTORS = {10, 100, 1000};
    static final double REACH = 1000;

    private final ReportData data;
    private Setup setup;

    /** What every plan of the section shares, or why there is none. */
    private record Setup(LawSource law, ShapeRule shapes, Forecaster forecaster, String hardwareNote, double cMax,
            String reason) {}

    ForecastSection(ReportData data) {
        this.data = data;
    }

    List<Figure> figures() {
        return List.of(Figure.build("10", "forecast", "Forecast: the loss frontier to " + Numbers.sig4(REACH)
                + "x the sweep", this::frontier));
    }

    private Setup setup() {
        if (setup == null) {
            setup = build();
        }
        return setup;
    }

    private Setup build() {
        FitReport fit = data.fit();
        if (fit == null) {
            return new Setup(null, null, null, null, Double.NaN, "there is no fit (see the notes)");
        }
        LawSource law;
        try {
            law = LawSource.fromFit(fit, null);
        } catch (IllegalArgumentException e) {
            return new Setup(null, null, null, null, Double.NaN, e.getMessage());
        }
        double cMax = fit.maxFittedFlops() > 0 ? fit.maxFittedFlops() : data.computeRange()[1];
        if (!(cMax > 0)) {
            return new Setup(law, null, null, null, Double.NaN, "the fit records no compute range");
        }
        ParamConvention conv;
        try {
            conv = ParamConvention.parse(law.paramConvention());
        } catch (IllegalArgumentException e) {
            conv = ParamConvention.TOTAL;
        }
        Optional<ShapeFamily> family = Optional.empty();
        try {
            family = ShapeRule.readFamily(data.resultsDir());
        } catch (ScalingLabException e) {
            // an unreadable family: the standard shape, said in the shape column
        }
        ParamConvention c = conv;
        ShapeRule shapes = family.map(f -> ShapeRule.of(f, null, c)).orElseGet(() -> ShapeRule.standard(null, c));
        Object[] hw = hardware();
        return new Setup(law, shapes, new Forecaster(law, shapes, (Hardware) hw[0]), (String) hw[1], cMax, null);
    }

    /** The sweep's GPU at its measured MFU, or the stated default and why: {Hardware, note}. */
    private Object[] hardware() {
        MeasuredMfu m;
        try {
            m = MeasuredMfu.fromRuns(data.resultsDir());
        } catch (ScalingLabException e) {
            m = new MeasuredMfu(Double.NaN, null, null, "the runs could not be read: " + e.getMessage());
        }
        Optional<PeakFlops.Gpu> gpu = PeakFlops.matching(m.gpuName());
        String def = String.format(Locale.ROOT, "a stated default, %s in bf16 at an assumed MFU of %.2f (scalinglab "
                + "forecast --gpu, --mfu or --mfu-from sets them)", PeakFlops.find(Hardware.DEFAULT_GPU).orElseThrow()
                .description(), Hardware.DEFAULT_MFU);
        if (m.measured() && gpu.isPresent()) {
            PeakFlops.Format f = format(m.precision(), gpu.get());
            return new Object[] {new Hardware(gpu.get(), f, m.mfu(), "measured: " + m.source(), 1, null),
                String.format(Locale.ROOT, "GPU-hours on the sweep's GPU, %s, in %s at the MFU its runs measured, "
                        + "%.3f (%s)", gpu.get().description(), f, m.mfu(), m.source())};
        }
        if (gpu.isPresent()) {
            return new Object[] {new Hardware(gpu.get(), PeakFlops.Format.BF16, Hardware.DEFAULT_MFU, "assumed", 1,
                    null), String.format(Locale.ROOT, "the sweep ran on %s but its runs recorded no MFU: GPU-hours on "
                            + "that GPU in bf16 at an assumed MFU of %.2f, not a measurement", m.gpuName(),
                            Hardware.DEFAULT_MFU)};
        }
        Hardware h = new Hardware(PeakFlops.find(Hardware.DEFAULT_GPU).orElseThrow(), PeakFlops.Format.BF16,
                Hardware.DEFAULT_MFU, "assumed", 1, null);
        String why = m.gpuName() != null ? "the sweep's GPU, " + m.gpuName() + ", is not in the peak table"
                : "the sweep ran on the CPU: there is no GPU and no MFU to measure";
        return new Object[] {h, why + "; GPU-hours on " + def};
    }

    /** The measured precision's peak; bf16 where the GPU lacks it or the runs name none. */
    private static PeakFlops.Format format(String precision, PeakFlops.Gpu gpu) {
        try {
            PeakFlops.Format f = PeakFlops.Format.parse(precision);
            return Double.isFinite(gpu.peak(f)) ? f : PeakFlops.Format.BF16;
        } catch (RuntimeException e) {
            return PeakFlops.Format.BF16;
        }
    }

    Figure frontier() {
        Setup s = setup();
        if (s.reason() != null) {
            return Figure.absent(s.reason());
        }
        Law law = s.law().central();
        if (!law.hasLoss()) {
            return Figure.absent("the fit's only frontier is approach 1's, which gives no loss");
        }
        if (!law.identification().identified()) {
            return Figure.absent("the law the forecast would extrapolate, " + s.law().name() + ", is not identified by "
                    + "these data (" + law.identification().describe() + "): its frontier and band would be where the "
                    + "optimiser stopped, drawn as if fitted");
        }
        double[] cr = data.computeRange();
        double lo = Double.isFinite(cr[0]) ? Math.min(cr[0], s.cMax()) / 2 : s.cMax() / 100;
        double[] cs = PlotData.logspace(lo, s.cMax() * REACH, 70);
        double[] frontier = Arrays.stream(cs).map(c -> law.optimum(c)[2]).toArray();
        XYChart c = Charts.chart("Forecast: compute-optimal loss to " + Numbers.sig4(REACH) + "x the sweep",
                "training FLOPs C (" + data.flopKey() + " convention)", "loss", true, true);
        double[] range = {cs[0], cs[cs.length - 1], Double.MAX_VALUE, 0};
        grow(range, frontier);
        if (!s.law().samples().isEmpty()) {
            double[] low = new double[cs.length];
            double[] high = new double[cs.length];
            for (int i = 0; i < cs.length; i++) {
                double ci = cs[i];
                double[] v = s.law().samples().stream().mapToDouble(l -> l.optimum(ci)[2]).toArray();
                double[] iv = Bootstrap.percentileInterval(v, s.law().level());
                low[i] = iv[0];
                high[i] = iv[1];
            }
            if (Charts.drawable(low, high)) {
                Charts.band(c, data.levelText() + " bootstrap band", cs, low, high, Charts.APPROACH3);
            }
        }
        if (data.table() != null && data.table().size() > 0) {
            Charts.points(c, "runs", data.table().flops(), data.table().losses(), Charts.LIGHT_GREY, Charts.CIRCLE);
            grow(range, data.table().losses());
        }
        List<double[]> in = new ArrayList<>();
        List<double[]> beyond = new ArrayList<>();
        for (int i = 0; i < cs.length; i++) {
            if (frontier[i] > 0 && Double.isFinite(frontier[i])) {
                (cs[i] <= s.cMax() * 1.0001 ? in : beyond).add(new double[] {cs[i], frontier[i]});
            }
        }
        String name = StudyFigures.label(s.law().name()) + " compute-optimal loss";
        if (!in.isEmpty()) {
            Charts.line(c, name, PlotData.column(in, 0), PlotData.column(in, 1), Charts.APPROACH3, Charts.SOLID);
        }
        if (!beyond.isEmpty()) {
            Charts.line(c, name + " (extrapolated)", PlotData.column(beyond, 0), PlotData.column(beyond, 1),
                    Charts.APPROACH3, Charts.DASHED).setShowInLegend(in.isEmpty());
        }
        // fixed sizes trained past their optimum: each touches the frontier at its own budget
        StringBuilder sizes = new StringBuilder();
        if (law.hasJoint()) {
            double[] at = {1, 10, 100, REACH};
            for (int k = 0; k < at.length; k++) {
                double n = law.optimum(s.cMax() * at[k])[0];
                List<double[]> pts = new ArrayList<>();
                for (double x : cs) {
                    double d = law.curve().tokens(n, x);
                    double l = law.loss(n, d);
                    if (d / n >= 1 && d / n <= 1e4 && l > 0 && Double.isFinite(l)) {
                        pts.add(new double[] {x, l});
                    }
                }
                if (pts.size() >= 2) {
                    Charts.line(c, "N = " + Numbers.sig4(n) + " (optimal at " + Numbers.sig4(at[k]) + "x)",
                            PlotData.column(pts, 0), PlotData.column(pts, 1), Charts.viridis(0.15 + 0.7 * k / 3.0),
                            Charts.THIN_DASHED);
                    sizes.append(sizes.length() == 0 ? "" : ", ").append(Numbers.sig4(n));
                }
            }
        }
        List<double[]> marks = new ArrayList<>();
        for (double f : FACTORS) {
            marks.add(new double[] {s.cMax() * f, law.optimum(s.cMax() * f)[2]});
        }
        Charts.points(c, "plans at 10x, 100x, 1000x (table)", PlotData.column(marks, 0), PlotData.column(marks, 1),
                Charts.INK, Charts.STAR);
        if (range[2] > 0 && range[3] >= range[2]) {
            c.getStyler().setYAxisMin(range[2] / 1.1);
            c.getStyler().setYAxisMax(range[3] * 1.1);
        }
        Charts.fitLogTicks(c, range[0], range[1], range[2], range[3]);
        return Figure.chart(c, String.format(Locale.ROOT, "%s's compute-optimal loss L(N_opt(C), D_opt(C)) "
                + "(C counted as the fit counts its runs), solid over the sweep and dashed beyond its largest fitted "
                + "compute (%s) to %sx, with its %s bootstrap band%s. %s Stars: the plans of the forecast table. "
                + "Beyond the sweep this is extrapolation: see docs/forecast.md for what it cannot know.",
                StudyFigures.label(s.law().name()), Numbers.sig4(s.cMax()), Numbers.sig4(REACH), data.levelText(),
                s.law().samples().isEmpty() ? " (none: the fit has no bootstrap samples)" : "",
                sizes.length() == 0 ? "No over-training curves: the approach models only the frontier."
                        : "Thin dashed: models of fixed size N = " + sizes + " (the optima at 1x, 10x, 100x and 1000x) "
                                + "trained on C / F(N) tokens; each touches the frontier at its own budget and lies "
                                + "above it elsewhere, by the loss that over- or under-training costs."));
    }

    Table table() {
        Setup s = setup();
        String[] head = {"C", "x sweep", "N", "D", "D/N", "loss", "interval", "suggested shape", "hardware FLOPs",
            "GPU-hours", "memory per GPU (GiB, 1 GPU)", "fits"};
        if (s.reason() != null) {
            return new Table("forecast", "Forecast", "No forecast: " + s.reason() + ".", head);
        }
        Law law = s.law().central();
        Table t = new Table("forecast", "Forecast", String.format(Locale.ROOT, "The compute-optimal plan at 10x, 100x "
                + "and 1000x the largest fitted compute (%s) under %s, as scalinglab forecast --fit gives it. %s. "
                + "Hardware FLOPs count PaLM's 6N + 12 L T d along the suggested shapes (%s); GPU-hours = hardware "
                + "FLOPs / (peak x MFU) / 3600. Memory: 16 bytes per parameter of mixed-precision AdamW on one GPU "
                + "plus one sequence's activations (selective recomputation).%s",
                Numbers.sig4(s.cMax()), s.law().description(), s.hardwareNote(),
                s.shapes().source(), law.hasLoss() ? "" : " Approach 1 gives no loss."), head);
        for (double f : FACTORS) {
            Forecast p = s.forecaster().forecast(new Forecaster.Request(Target.compute(s.cMax() * f)));
            t.row(p.compute(), Numbers.sig4(f) + "x", p.n(), p.d(), p.tokensPerParam(),
                    Numbers.fixed(p.loss(), 4),
                    p.lossCi() == null ? "-" : Numbers.interval(p.lossCi()), p.shape().label(), p.flopsHardware(),
                    p.gpuHours(), String.format(Locale.ROOT, "%.1f", p.memoryGibPerGpu()), p.fitsGpu() ? "yes" : "no");
        }
        return t;
    }

    private static void grow(double[] range, double[] y) {
        for (double v : y) {
            if (v > 0 && Double.isFinite(v)) {
                range[2] = Math.min(range[2], v);
                range[3] = Math.max(range[3], v);
            }
        }
    }
}
