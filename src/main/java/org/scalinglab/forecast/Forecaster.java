package org.scalinglab.forecast;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scalinglab.fit.input.FlopsCurve;
import org.scalinglab.fit.law.Law;
import org.scalinglab.fit.optim.Bootstrap;
import org.scalinglab.text.Numbers;

/**
 * Turns a scaling law into a training plan. The allocation is the law's own (C counted in its convention:
 * D x F(N) along the fit's shapes, 6ND for a published law); time and money count the FLOPs hardware
 * executes, PaLM's 6N + 12 L T d along the suggested shapes, which is what MFU is measured in. Every
 * bootstrap law of the fit is planned the same way, which gives the intervals. Numbers that cannot be
 * planned raise {@link IllegalArgumentException} with the reason (a target loss the law never reaches).
 */
public final class Forecaster {
    /** Beyond this factor of the fitted compute a forecast carries a warning. */
    public static final double WARN_EXTRAPOLATION = 100;

    private final LawSource source;
    private final ShapeRule shapes;
    private final List<String> extraNotes;
    private final Hardware hardware;
    private final FlopsCurve palm;

    /**
     * @param inferenceTokens tokens the model will serve, or null
     * @param repetition the unique-token limit, or null for fresh data
     * @param microBatch sequences per micro-batch for the activation memory
     * @param recompute what the backward pass recomputes, for the activation memory
     * @param inputs the options given, echoed in the output
     */
    public record Request(Target target, Double inferenceTokens, Repetition repetition, int microBatch,
            MemoryPlan.Recompute recompute, Map<String, Object> inputs) {
        public Request(Target target) {
            this(target, null, null, 1, MemoryPlan.Recompute.SELECTIVE, Map.of());
        }
    }

    public Forecaster(LawSource source, ShapeRule shapes, Hardware hardware) {
        this(source, shapes, hardware, List.of());
    }

    /** With {@code extraNotes}, what the caller knows that the plan must say (say, where its shapes come from). */
    public Forecaster(LawSource source, ShapeRule shapes, Hardware hardware, List<String> extraNotes) {
        this.source = source;
        this.shapes = shapes;
        this.hardware = hardware;
        this.palm = shapes.palmCurve();
        this.extraNotes = List.copyOf(extraNotes);
    }

    public Hardware hardware() {
        return hardware;
    }

    /** Hardware FLOPs per token of a model of N parameters (N in the law's convention). */
    public double hardwareFlopsPerToken(double n) {
        return palm.perToken(n);
    }

    public Forecast forecast(Request r) {
        Target t = r.target();
        Law base = source.central();
        checkSupported(base, r);
        Law law = constrained(base, r.repetition());
        Forecast.Point p = solve(law, r);
        List<String> notes = new ArrayList<>(source.warnings());

        // intervals: the same plan under every bootstrap law
        Map<String, double[]> ci = null;
        double[] lossCi = null;
        if (!source.samples().isEmpty()) {
            List<Forecast.Point> ps = new ArrayList<>();
            for (Law s : source.samples()) {
                try {
                    ps.add(solve(constrained(s, r.repetition()), r));
                } catch (IllegalArgumentException e) {
                    // this bootstrap law cannot reach the target (say, a target loss below its E): left out
                }
            }
            ci = new LinkedHashMap<>();
            ci.put("N", interval(ps.stream().mapToDouble(Forecast.Point::n).toArray()));
            ci.put("D", interval(ps.stream().mapToDouble(Forecast.Point::d).toArray()));
            ci.put("tokens_per_param", interval(ps.stream().mapToDouble(Forecast.Point::tokensPerParam).toArray()));
            ci.put("compute", interval(ps.stream().mapToDouble(Forecast.Point::compute).toArray()));
            if (law.hasLoss()) {
                lossCi = interval(ps.stream().mapToDouble(Forecast.Point::loss).toArray());
                ci.put("loss", lossCi);
            }
            if (ps.size() < source.samples().size()) {
                notes.add((source.samples().size() - ps.size()) + " of " + source.samples().size()
                        + " bootstrap laws cannot reach this target and are left out of the intervals");
            }
        }

        if (source.unsupportedFromN() != null) {
            double from = source.unsupportedFromN();
            String where = "N >= " + Numbers.sig4(from) + ", where the fitted runs' losses still fall faster with each "
                    + "doubling of D than the law's shape allows (fits.json's loss_curvature)";
            if (p.n() >= from * (1 - 1e-9)) {
                notes.add(0, "warning: N = " + Numbers.sig4(p.n()) + " lies at " + where + ": not supported by the data");
            } else if (ci != null && ci.get("N")[1] >= from * (1 - 1e-9)) {
                notes.add(0, "warning: N's interval reaches " + where + ": that part of the plan is not supported by "
                        + "the data");
            }
        }

        ShapeRule.Shape shape = shapes.suggest(p.n());
        double hw = p.d() * hardwareFlopsPerToken(p.n());
        MemoryPlan mem = MemoryPlan.of(shape, hardware.gpus(), r.microBatch(), r.recompute(), hardware.format(), hardware.memoryGib());
        double gpuHours = hardware.gpuHours(hw);
        Double cost = hardware.pricePerGpuHour() == null ? null : gpuHours * hardware.pricePerGpuHour();

        double extrapolation = p.compute() / source.maxFittedFlops();
        if (extrapolation > WARN_EXTRAPOLATION) {
            notes.add(String.format(Locale.ROOT, "warning: %sx beyond the largest fitted compute (%s): the law has never "
                    + "been checked this far, and its interval reflects only the fit's noise, not a change of regime",
                    Numbers.sig4(extrapolation), Numbers.sig4(source.maxFittedFlops())));
        } else if (extrapolation > 1.0001) {
            notes.add(String.format(Locale.ROOT, "extrapolates %sx beyond the largest fitted compute (%s)",
                    Numbers.sig4(extrapolation), Numbers.sig4(source.maxFittedFlops())));
        }
        if (!mem.fits()) {
            notes.add(String.format(Locale.ROOT, "needs about %.1f GiB per GPU, more than 90 %% of a %s's %.0f GiB: shard "
                    + "over more GPUs (--gpus), or a smaller micro-batch", mem.totalGibPerGpu(), hardware.gpu(),
                    hardware.memoryGib()));
        }
        if (t.hardwareFlops() != null && r.inferenceTokens() != null && !t.fixedModel()) {
            notes.add("with inference demand the plan keeps the loss the GPUs buy and trains longer than the days given");
        }
        if (source.central() instanceof Law.Frontier f && f.hasLoss()) {
            notes.add("approach 2's loss law has no irreducible term: its loss falls without limit, trust it only near "
                    + "the fitted budgets");
        }
        notes.addAll(extraNotes);
        notes.add("hardware FLOPs " + hardwareConvention() + "; GPU-hours = hardware FLOPs / (peak x MFU"
                + (hardware.goodput() < 1 ? " x goodput " + Numbers.sig4(hardware.goodput()) : "") + ") / 3600"
                + (hardware.goodput() < 1 ? "" : " (no goodput factor: every GPU-hour trains; real jobs lose time to "
                        + "restarts, checkpoints and evaluation, set --goodput)"));

        Forecast.OverTraining over = t.fixedModel() && law.hasJoint() ? overTraining(law, p) : null;
        Forecast.Inference inf = r.inferenceTokens() == null ? null : inference(law, r, p);
        Forecast.DataLimit data = r.repetition() == null ? null : dataLimit(base, r, p);
        FlopsCurve curve = base.curve();
        return new Forecast(Forecast.SCHEMA,
                new Forecast.LawInfo(source.name(), source.description(), source.paramConvention(),
                        curve.flopConvention(), curve.source(), base.floor(), source.samples().size(),
                        source.fittedRange()),
                r.inputs(), t.description(), p.n(), p.d(), p.tokensPerParam(), p.loss(), lossCi, p.compute(),
                curve.isSixN() ? "C = 6ND" : "C = D x F(N), " + curve.flopConvention() + " FLOPs along the fit's shapes",
                6 * p.n() * p.d(), hw, hardwareConvention(), ci, ci == null ? null : source.samples().size(),
                ci == null ? null : source.level(), hardware, gpuHours, hardware.wallDays(hw), cost,
                mem.totalGibPerGpu(), mem.fits(), mem, shape, extrapolation, source.maxFittedFlops(), over, inf, data,
                notes, null);
    }

    private String hardwareConvention() {
        return "PaLM's 6N + 12 L T d (N non-embedding with the head) along the suggested shapes (" + shapes.source()
                + ")";
    }

    /** Modifiers and fixed models need L(N, D); a frontier-only law answers only free compute targets. */
    private static void checkSupported(Law law, Request r) {
        Target t = r.target();
        String name = law.hasLoss() ? "approach 2" : "approach 1";
        if (!law.hasJoint()) {
            String need = t.fixedModel() ? "--params" : r.inferenceTokens() != null ? "--inference-tokens"
                    : r.repetition() != null ? "--unique-tokens" : null;
            if (need != null) {
                throw new IllegalArgumentException(need + " needs L(N, D), which " + name + " does not model (only the "
                        + "compute-optimal frontier): use approach 3 or kaplan, or a published law");
            }
        }
        if (t.loss() != null && !law.hasLoss()) {
            throw new IllegalArgumentException("--target-loss needs a loss law, and approach 1 gives none: use approach "
                    + "3, kaplan or 2");
        }
        if (t.loss() != null && !(t.loss() > law.floor())) {
            throw new IllegalArgumentException("target loss " + t.loss() + " is not above the law's irreducible loss E = "
                    + Numbers.sig4(law.floor()) + ": no model and no amount of data reaches it");
        }
        if (r.inferenceTokens() != null && t.tokens() != null && !t.fixedModel()) {
            throw new IllegalArgumentException("--inference-tokens re-sizes the model at a fixed loss and cannot keep "
                    + "--tokens fixed: give --compute, --gpus/--days or --target-loss, or --params to compare");
        }
    }

    private static Law constrained(Law law, Repetition rep) {
        return rep == null ? law : ((Law.Joint) law).withEffectiveTokens(rep::effectiveTokens);
    }

    /** The plan under one law: the target's allocation, re-sized for inference demand when the model is free. */
    Forecast.Point solve(Law law, Request r) {
        Forecast.Point p = base(law, r.target());
        if (r.inferenceTokens() != null && !r.target().fixedModel()) {
            return inferenceOptimal(law, p.loss(), r.inferenceTokens());
        }
        return p;
    }

    private Forecast.Point base(Law law, Target t) {
        FlopsCurve f = law.curve();
        if (t.params() != null) {
            double n = t.params();
            double d = t.tokens() != null ? t.tokens() : t.compute() != null ? f.tokens(n, t.compute())
                    : t.hardwareFlops() != null ? t.hardwareFlops() / hardwareFlopsPerToken(n)
                    : tokensForLoss(law, n, t.loss());
            return Forecast.Point.of(n, d, f.flops(n, d), law.loss(n, d));
        }
        double c;
        if (t.compute() != null) {
            c = t.compute();
        } else if (t.tokens() != null) {
            c = Solve.rootLog(x -> law.optimum(x)[1], t.tokens(), 0, Solve.LN_MAX);
            if (!(c > 0)) {
                throw new IllegalArgumentException("no budget up to 1e40 FLOPs allocates " + Numbers.sig4(t.tokens())
                        + " tokens");
            }
        } else if (t.hardwareFlops() != null) {
            c = Solve.rootLog(x -> {
                double[] o = law.optimum(x);
                return o[1] * hardwareFlopsPerToken(o[0]);
            }, t.hardwareFlops(), 0, Solve.LN_MAX);
            if (!(c > 0)) {
                throw new IllegalArgumentException("no budget up to 1e40 FLOPs matches " + Numbers.sig4(t.hardwareFlops())
                        + " hardware FLOPs");
            }
        } else {
            c = computeForLoss(law, t.loss());
        }
        return optimum(law, c);
    }

    private static Forecast.Point optimum(Law law, double c) {
        double[] o = law.optimum(c);
        return Forecast.Point.of(o[0], o[1], c, o[2]);
    }

    /** The smallest compute whose compute-optimal loss is {@code target}. */
    static double computeForLoss(Law law, double target) {
        if (!(target > law.floor())) {
            throw new IllegalArgumentException("target loss " + target + " is not above the law's irreducible loss "
                    + Numbers.sig4(law.floor()));
        }
        double c = Solve.rootLog(x -> law.optimum(x)[2], target, 0, Solve.LN_MAX);
        if (!(c > 0)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "target loss %s is not reached by any budget "
                    + "up to 1e40 FLOPs (the law gives %.4f there)", target, law.optimum(1e40)[2]));
        }
        return c;
    }

    /** The tokens a model of N parameters needs to reach {@code target}. */
    static double tokensForLoss(Law law, double n, double target) {
        double limit = law.loss(n, 1e40);
        if (!(limit < target)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "a model of %s parameters never reaches loss "
                    + "%s, whatever its tokens (it tends to %.4f)", Numbers.sig4(n), target, limit));
        }
        return Solve.rootLog(d -> law.loss(n, d), target, 0, Solve.LN_MAX);
    }

    /**
     * Sardana et al. (2023): at loss {@code target}, the N (and the D that reaches the loss with it) that
     * minimises training plus inference FLOPs, D x F(N) + I x F(N) / 3 (inference is the forward pass, a
     * third of training's FLOPs per token: 6ND + 2NI under C = 6ND). With I = 0 this is the compute-optimal
     * allocation at that loss.
     */
    static Forecast.Point inferenceOptimal(Law law, double target, double inferenceTokens) {
        if (!(target > law.floor())) {
            throw new IllegalArgumentException("loss " + target + " is not above the law's irreducible loss");
        }
        // the smallest model that reaches the loss with unlimited data
        double nMin = Solve.rootLog(n -> law.loss(n, 1e40), target, 0, Solve.LN_MAX);
        if (!(nMin > 0)) {
            throw new IllegalArgumentException("no model up to 1e40 parameters reaches loss " + target);
        }
        FlopsCurve f = law.curve();
        double lo = Math.log(nMin) + 1e-9;
        double n = Solve.minimiseLog(x -> total(law, f, x, target, inferenceTokens), lo,
                Math.min(lo + 46, Solve.LN_MAX));
        double d = tokensForLoss(law, n, target);
        return Forecast.Point.of(n, d, f.flops(n, d), law.loss(n, d));
    }

    /** Training plus inference FLOPs of the model of N parameters trained to {@code target}; +inf if it cannot. */
    static double total(Law law, FlopsCurve f, double n, double target, double inferenceTokens) {
        if (!(law.loss(n, 1e40) < target)) {
            return Double.POSITIVE_INFINITY;
        }
        double d = Solve.rootLog(x -> law.loss(n, x), target, 0, Solve.LN_MAX);
        return f.perToken(n) * (d + inferenceTokens / 3);
    }

    private Forecast.OverTraining overTraining(Law law, Forecast.Point p) {
        Forecast.Point sameLoss = optimum(law, computeForLoss(law, p.loss()));
        Forecast.Point sameCompute = optimum(law, p.compute());
        return new Forecast.OverTraining(p.compute(), p.loss(), sameLoss, p.compute() / sameLoss.compute(),
                sameCompute, p.loss() - sameCompute.loss());
    }

    private Forecast.Inference inference(Law law, Request r, Forecast.Point p) {
        double i = r.inferenceTokens();
        FlopsCurve f = law.curve();
        Forecast.Point co = optimum(law, computeForLoss(law, p.loss()));
        Forecast.Point io = r.target().fixedModel() ? inferenceOptimal(law, p.loss(), i) : p;
        Forecast.Lifetime plan = r.target().fixedModel() ? lifetime(f, p, i) : null;
        Forecast.Lifetime a = lifetime(f, co, i);
        Forecast.Lifetime b = lifetime(f, io, i);
        return new Forecast.Inference(i, p.loss(), f.isSixN() ? "training 6ND + inference 2NI"
                : "training D x F(N) + inference I x F(N)/3 (the forward pass; 6ND + 2NI under C = 6ND)", plan, a, b,
                1 - b.totalFlops() / a.totalFlops());
    }

    private static Forecast.Lifetime lifetime(FlopsCurve f, Forecast.Point p, double i) {
        double train = f.flops(p.n(), p.d());
        double infer = f.perToken(p.n()) * i / 3;
        return new Forecast.Lifetime(p.n(), p.d(), p.tokensPerParam(), train, infer, train + infer);
    }

    private Forecast.DataLimit dataLimit(Law base, Request r, Forecast.Point p) {
        Repetition rep = r.repetition();
        Forecast.Point unlimited = solve(base, r);
        double fresh = base.loss(p.n(), p.d());
        return new Forecast.DataLimit(rep.uniqueTokens(), rep.rStar(), rep.epochs(p.d()), rep.effectiveTokens(p.d()),
                fresh, p.loss() - fresh, unlimited, p.loss() - unlimited.loss(), p.compute() / unlimited.compute());
    }

    private double[] interval(double[] v) {
        return Bootstrap.percentileInterval(v, source.level());
    }
}
