package org.scalinglab.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.engine.PeakFlops;
import org.scalinglab.fit.approach.ParametricLaw;
import org.scalinglab.fit.law.Law;
import org.scalinglab.text.Numbers;

/** The forecast's arithmetic on the published laws: allocation, inference demand, repeated data, hardware. */
class ForecastTest {
    static final ShapeRule STANDARD = ShapeRule.standard(null, ParamConvention.TOTAL);

    static Hardware h100(int gpus) {
        return new Hardware(PeakFlops.find("h100-sxm").orElseThrow(), PeakFlops.Format.BF16, 0.4, "test", gpus, null);
    }

    static Forecaster forecaster(String law) {
        return new Forecaster(LawSource.published(law), STANDARD, h100(1));
    }

    static Forecast plan(String law, Target t) {
        return forecaster(law).forecast(new Forecaster.Request(t));
    }

    static Forecast plan(String law, Target t, Double inference, Repetition rep) {
        return forecaster(law).forecast(new Forecaster.Request(t, inference, rep, 1, MemoryPlan.Recompute.SELECTIVE,
                Map.of()));
    }

    /** The reference values (docs/forecast.md), at the digits they are given to. */
    @Test
    void epochAt1e20() {
        Forecast f = plan("epoch-2024", Target.compute(1e20));
        assertEquals(8.53e8, f.n(), 0.005e8);
        assertEquals(1.95e10, f.d(), 0.005e10);
        assertEquals(22.9, f.tokensPerParam(), 0.05);
        assertEquals(2.553, f.loss(), 0.0005);
        assertEquals(1e20, f.flops6nd(), 1e20 * 1e-9, "a published law's C is 6ND");
    }

    @Test
    void hoffmannAtChinchillasBudget() {
        Forecast f = plan("hoffmann-2022", Target.compute(5.76e23));
        assertEquals(3.22e10, f.n(), 0.005e10);
        assertEquals(2.98e12, f.d(), 0.005e12);
        assertEquals(1.931, f.loss(), 0.0005);
        assertTrue(f.notes().stream().anyMatch(n -> n.startsWith("extrapolates")), f.notes().toString());
    }

    /** Under C = 6ND the numerical allocation is Chinchilla's closed form (eq. 4). */
    @Test
    void publishedAllocationIsTheClosedForm() {
        ParametricLaw l = new ParametricLaw(1.69, 406.4, 410.7, 0.34, 0.28);
        for (double c : new double[] {1e18, 1e21, 1e25}) {
            Forecast f = plan("hoffmann-2022", Target.compute(c));
            assertEquals(l.optimalParams(c), f.n(), 1e-6 * f.n());
            assertEquals(l.optimalTokens(c), f.d(), 1e-6 * f.d());
        }
    }

    @Test
    void noInferenceIsThePlainOptimum() {
        for (String law : LawSource.PUBLISHED) {
            for (double c : new double[] {1e20, 1e24}) {
                Forecast plain = plan(law, Target.compute(c));
                Forecast zero = plan(law, Target.compute(c), 0.0, null);
                assertEquals(plain.n(), zero.n(), 1e-5 * plain.n(), law + " N at " + c);
                assertEquals(plain.d(), zero.d(), 1e-5 * plain.d(), law + " D at " + c);
                assertEquals(plain.loss(), zero.loss(), 1e-9);
                assertEquals(0, zero.inference().saving(), 1e-9);
            }
        }
    }

    @Test
    void inferenceDemandShrinksTheModelAndLengthensTrainingAtTheSameLoss() {
        Forecast plain = plan("epoch-2024", Target.compute(1e22));
        double n = plain.n();
        double d = plain.d();
        for (double i : new double[] {1e11, 1e12, 1e13, 1e14}) {
            Forecast f = plan("epoch-2024", Target.compute(1e22), i, null);
            assertTrue(f.n() < n, "N falls with I = " + i + ": " + f.n() + " vs " + n);
            assertTrue(f.d() > d, "D grows with I = " + i);
            assertEquals(plain.loss(), f.loss(), 1e-9, "same loss");
            assertTrue(f.inference().saving() > 0);
            assertEquals(plain.n(), f.inference().computeOptimal().n(), 1e-5 * plain.n());
            n = f.n();
            d = f.d();
        }
    }

    /** Sardana et al.'s optimum: a brute-force search along the iso-loss curve, and its first-order condition. */
    @Test
    void inferenceOptimumIsTheBruteForceMinimumAndSatisfiesTheFirstOrderCondition() {
        ParametricLaw l = new ParametricLaw(1.8172, 482.01, 2085.43, 0.3478, 0.3658);
        double target = plan("epoch-2024", Target.compute(1e22)).loss();
        double inference = 2e13;
        Forecast f = plan("epoch-2024", Target.loss(target), inference, null);
        // D(N) on the iso-loss curve, in closed form for this law
        java.util.function.DoubleUnaryOperator dOf = n -> Math.pow(l.B() / (target - l.E() - l.A() / Math.pow(n,
                l.alpha())), 1 / l.beta());
        java.util.function.DoubleUnaryOperator total = n -> 6 * n * dOf.applyAsDouble(n) + 2 * n * inference;
        double bestN = Double.NaN;
        double best = Double.POSITIVE_INFINITY;
        for (int k = -20_000; k <= 20_000; k++) {
            double n = f.n() * Math.pow(10, k * 1e-4); // 4 decades either side
            double v = total.applyAsDouble(n);
            if (v > 0 && v < best) {
                best = v;
                bestN = n;
            }
        }
        assertEquals(bestN, f.n(), 3e-4 * f.n(), "the brute-force minimum");
        assertEquals(dOf.applyAsDouble(f.n()), f.d(), 1e-6 * f.d(), "D reaches the loss");
        // d/dN (6ND + 2NI) = 6D + 6N D'(N) + 2I = 0, D'(N) = -(dL/dN) / (dL/dD)
        double n = f.n();
        double d = f.d();
        double dLdN = -l.alpha() * l.A() / Math.pow(n, l.alpha() + 1);
        double dLdD = -l.beta() * l.B() / Math.pow(d, l.beta() + 1);
        double foc = 6 * d + 6 * n * (-dLdN / dLdD) + 2 * inference;
        assertEquals(0, foc, 1e-6 * (6 * d + 2 * inference), "first-order condition");
    }

    @Test
    void repeatedData() {
        Repetition r = new Repetition(1e10, Repetition.R_STAR);
        assertEquals(3.73, r.effectiveTokens(4e10) / 1e10, 0.005, "4 epochs are worth 3.73 U");
        assertEquals(1e10, r.effectiveTokens(1e10), 0, "one epoch changes nothing");
        assertEquals(5e9, r.effectiveTokens(5e9), 0);
        assertTrue(r.effectiveTokens(1e11) < r.effectiveTokens(1e12) && r.effectiveTokens(1e12) < r.ceiling(),
                "more epochs are worth less and less, up to U (1 + R*)");

        // a fixed model trained for exactly one epoch loses nothing to repetition
        Target oneEpoch = Target.model(1e9, 2e10, null, null, null, null);
        Forecast plain = plan("epoch-2024", oneEpoch);
        Forecast once = plan("epoch-2024", oneEpoch, null, new Repetition(2e10, Repetition.R_STAR));
        assertEquals(plain.loss(), once.loss(), 0);
        assertEquals(0, once.data().lossLostToRepetition(), 0);
        assertEquals(1, once.data().epochs(), 0);

        // 4 epochs of the same model: the loss of 3.73x fresh tokens
        Forecast four = plan("epoch-2024", oneEpoch, null, new Repetition(5e9, Repetition.R_STAR));
        ParametricLaw l = new ParametricLaw(1.8172, 482.01, 2085.43, 0.3478, 0.3658);
        assertEquals(l.loss(1e9, new Repetition(5e9, Repetition.R_STAR).effectiveTokens(2e10)), four.loss(), 1e-12);
        assertTrue(four.data().lossLostToRepetition() > 0);

        // a free target re-allocates: with scarce data the optimum moves to a larger model on fewer epochs
        Forecast free = plan("epoch-2024", Target.compute(1e23));
        Forecast scarce = plan("epoch-2024", Target.compute(1e23), null, new Repetition(5e10, Repetition.R_STAR));
        assertTrue(scarce.n() > free.n(), scarce.n() + " vs " + free.n());
        assertTrue(scarce.loss() > free.loss());
        assertEquals(free.loss(), scarce.data().unlimitedData().loss(), 1e-12);
        // and the re-allocation is the best the repeated data allows at this compute
        Law.Joint constrained = ((Law.Joint) LawSource.published("epoch-2024").central())
                .withEffectiveTokens(new Repetition(5e10, Repetition.R_STAR)::effectiveTokens);
        for (double m : new double[] {0.7, 0.9, 1.1, 1.4}) {
            double n = scarce.n() * m;
            assertTrue(constrained.loss(n, 1e23 / (6 * n)) > scarce.loss(), "N x " + m + " is worse");
        }
    }

    @Test
    void gpuHoursAreFlopsOverPeakTimesMfuForEveryGpu() {
        int checked = 0;
        for (PeakFlops.Gpu g : PeakFlops.table()) {
            for (PeakFlops.Format fmt : PeakFlops.Format.values()) {
                if (!Double.isFinite(g.peak(fmt))) {
                    assertThrows(IllegalArgumentException.class, () -> new Hardware(g, fmt, 0.4, "t", 1, null),
                            g.key() + " has no " + fmt);
                    continue;
                }
                Hardware h = new Hardware(g, fmt, 0.37, "test", 8, 3.0);
                Forecast f = new Forecaster(LawSource.published("hoffmann-2022"), STANDARD, h)
                        .forecast(new Forecaster.Request(Target.compute(1e22)));
                double expected = f.flopsHardware() / (g.peak(fmt) * 0.37) / 3600;
                assertEquals(expected, f.gpuHours(), 1e-12 * expected, g.key() + " " + fmt);
                assertEquals(expected / 8 / 24, f.wallDays(), 1e-12 * expected);
                assertEquals(expected * 3.0, f.cost(), 1e-9 * expected);
                checked++;
            }
        }
        assertTrue(checked >= 40, "checked " + checked);
        for (String gpu : List.of("v100", "a100-40gb", "a100-80gb", "h100-sxm", "h100-pcie", "h200", "b200", "l40s")) {
            assertTrue(PeakFlops.find(gpu).isPresent(), gpu);
        }
    }

    @Test
    void gpusForDaysAreFilled() {
        Hardware h = h100(512);
        Forecaster fc = new Forecaster(LawSource.published("epoch-2024"), STANDARD, h);
        Forecast f = fc.forecast(new Forecaster.Request(Target.hardware(h.flopsIn(20), "512 GPUs, 20 days")));
        assertEquals(20, f.wallDays(), 1e-6);
        assertEquals(512 * 20 * 24, f.gpuHours(), 1e-3);
        // it is the compute-optimal plan of its own C
        Forecast same = fc.forecast(new Forecaster.Request(Target.compute(f.compute())));
        assertEquals(same.n(), f.n(), 1e-6 * f.n());
        assertEquals(512, f.memory().shardedOver());
    }

    @Test
    void targetLossAndTokensInvertTheFrontier() {
        Forecast at = plan("hoffmann-2022", Target.compute(3e23));
        Forecast back = plan("hoffmann-2022", Target.loss(at.loss()));
        assertEquals(3e23, back.compute(), 1e-6 * 3e23);
        assertEquals(at.n(), back.n(), 1e-5 * at.n());
        Forecast byTokens = plan("hoffmann-2022", Target.tokens(at.d()));
        assertEquals(3e23, byTokens.compute(), 1e-6 * 3e23);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> plan("hoffmann-2022", Target.loss(1.6)));
        assertTrue(e.getMessage().contains("irreducible loss E = 1.69"), e.getMessage());
    }

    @Test
    void overTrainingAgainstTheComputeOptimalModel() {
        // an 8B model on 15T tokens under Epoch's law
        Forecast f = plan("epoch-2024", Target.model(8e9, 15e12, null, null, null, null));
        Forecast.OverTraining o = f.overTraining();
        assertEquals(6 * 8e9 * 15e12, o.compute(), 1e9);
        assertEquals(f.loss(), o.computeOptimalSameLoss().loss(), 1e-9, "same loss");
        assertTrue(o.overhead() > 1, "an over-trained model costs more than the compute-optimal one");
        assertEquals(o.compute() / o.computeOptimalSameLoss().compute(), o.overhead(), 1e-12);
        assertTrue(o.lossGap() > 0, "and the same compute buys a lower loss compute-optimally");
        // the compute-optimal model itself has no overhead
        Forecast opt = plan("epoch-2024", Target.compute(1e22));
        Forecast again = plan("epoch-2024", Target.model(opt.n(), opt.d(), null, null, null, null));
        assertEquals(1, again.overTraining().overhead(), 1e-6);
        assertEquals(0, again.overTraining().lossGap(), 1e-9);
        assertNull(opt.overTraining(), "only a fixed model gets the section");
    }

    @Test
    void suggestedShapesFollowTheRule() {
        ShapeRule.Shape s = STANDARD.suggest(8e9);
        assertEquals(128 * s.layers(), s.dModel());
        assertEquals(s.layers(), s.heads());
        assertEquals(8e9, s.params(), 0.1 * 8e9, "nearest depth");
        // the hardware count along the rule is PaLM's at the rule's shapes
        assertEquals(org.scalinglab.model.Flops.palm(s.gpt()), STANDARD.palmCurve().perToken(s.params()),
                1e-9 * org.scalinglab.model.Flops.palm(s.gpt()));
        // a sweep's depth rule continues as the sweep built it (d_model = 64 x depth, heads of 64)
        ShapeRule sweep = ShapeRule.of(new org.scalinglab.model.ShapeFamily(256, 128,
                new org.scalinglab.model.ShapeFamily.Rule(64, 64, 4), List.of()), null, ParamConvention.NON_EMBEDDING);
        ShapeRule.Shape big = sweep.suggest(1e9);
        assertEquals(64 * big.layers(), big.dModel());
        assertEquals(128, big.context());
        assertTrue(big.rule().contains("ladder rule"));
    }

    @Test
    void memoryShardsStatesAndFitsTheGpu() {
        ShapeRule.Shape s = STANDARD.suggest(7e9);
        double gib = 1L << 30;
        MemoryPlan one = MemoryPlan.of(s, 1, 1, MemoryPlan.Recompute.SELECTIVE, PeakFlops.Format.BF16, 80);
        MemoryPlan many = MemoryPlan.of(s, 64, 1, MemoryPlan.Recompute.SELECTIVE, PeakFlops.Format.BF16, 80);
        assertEquals(16 * s.paramsTotal() / gib, one.statesGib(), 1e-9);
        assertEquals(one.statesGib() / 64, many.statesGibPerGpu(), 1e-9);
        assertEquals(one.activationsGib(), many.activationsGib(), 0);
        assertFalse(one.fits(), "7B with AdamW does not fit one 80 GB GPU");
        assertTrue(many.fits());
        List<Double> acts = new ArrayList<>();
        for (MemoryPlan.Recompute r : MemoryPlan.Recompute.values()) {
            acts.add(MemoryPlan.of(s, 1, 4, r, PeakFlops.Format.BF16, 80).activationsGib());
        }
        assertTrue(acts.get(0) > acts.get(1) && acts.get(1) > acts.get(2), acts.toString());
        double logits = 8.0 * s.context() * s.vocab() / gib;
        assertEquals(2 * (MemoryPlan.of(s, 1, 1, MemoryPlan.Recompute.FULL, PeakFlops.Format.BF16, 80).activationsGib()
                - logits),
                MemoryPlan.of(s, 1, 1, MemoryPlan.Recompute.FULL, PeakFlops.Format.FP32, 80).activationsGib()
                        - logits, 1e-9, "32-bit activations are twice 16-bit's");
    }

    @Test
    void extrapolationPast100xWarns() {
        Forecast f = plan("epoch-2024", Target.compute(1e25));
        assertEquals(1e25 / LawSource.CHINCHILLA_RUNS_MAX_FLOPS, f.extrapolation(), 1e-9);
        assertTrue(f.notes().get(0).startsWith("warning: " + Numbers.sig4(f.extrapolation())
                + "x beyond"), f.notes().toString());
        Forecast near = plan("epoch-2024", Target.compute(1e23));
        assertTrue(near.notes().stream().noneMatch(n -> n.startsWith("warning")), near.notes().toString());
    }
}
