package org.scalinglab.fit.law;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.approach.EnvelopeResult;
import org.scalinglab.fit.approach.IsoFlopResult;
import org.scalinglab.fit.approach.KaplanJointLaw;
import org.scalinglab.fit.approach.KaplanResult;
import org.scalinglab.fit.approach.ParametricLaw;
import org.scalinglab.fit.approach.ParametricResult;
import org.scalinglab.fit.approach.PowerLaw;
import org.scalinglab.fit.input.FlopsCurve;
import org.scalinglab.fit.optim.BootstrapSummary;

/**
 * The laws of a fit: one adapter per approach turns its section of fits.json into a {@link Law}, with
 * its bootstrap laws and its {@link Identification}. This is the only place that knows which section
 * holds which kind of law; a new variant (a bounded approach 3, say) is one adapter and one line in
 * {@link #ADAPTERS}.
 */
public final class Laws {
    private Laws() {}

    /** The adapters, in fits.json's order (which is also predict's and the report's). */
    private static final List<Function<FitReport, Law>> ADAPTERS = List.of(Laws::approach3, Laws::approach3Bounded,
            Laws::approach2, Laws::approach1, Laws::kaplan);

    /** The value of {@code forecast --approach} and {@code check.approach} that means the fit's recommended law. */
    public static final String RECOMMENDED = "recommended";

    /** Every law the fit holds, in fits.json's order. */
    public static List<Law> of(FitReport fit) {
        List<Law> out = new ArrayList<>();
        for (Function<FitReport, Law> a : ADAPTERS) {
            Law l = a.apply(fit);
            if (l != null) {
                out.add(l);
            }
        }
        return out;
    }

    /** The law under {@code key} (a fits.json key or an alias, see {@link #key}); empty when the fit has none. */
    public static Optional<Law> find(FitReport fit, String key) {
        String k = key(key);
        return of(fit).stream().filter(l -> l.key().equals(k)).findFirst();
    }

    /** A law's fits.json key from what a user may type: {@code 3}, {@code approach3}, {@code parametric}, ... */
    public static String key(String name) {
        return Approach.lawKey(name);
    }

    private static String conventions(FlopsCurve curve) {
        return curve.isSixN() ? "C = 6ND" : curve.flopConvention() + " FLOPs";
    }

    static Law approach3(FitReport fit) {
        return parametric(fit, fit.approach3(), Approach.PARAMETRIC);
    }

    /**
     * Approach 3 fitted in a box (OLMo-core's ladder fit): a fit that ended on a bound of its box is
     * unidentified, as is one whose bootstrap interval reaches a bound of alpha or beta.
     */
    static Law approach3Bounded(FitReport fit) {
        return parametric(fit, fit.approach3Bounded(), Approach.PARAMETRIC_BOUNDED);
    }

    private static Law parametric(FitReport fit, ParametricResult p, Approach approach) {
        if (p == null) {
            return null;
        }
        String key = approach.key();
        String label = approach.label();
        ParametricLaw l = p.law();
        FlopsCurve curve = fit.curve();
        Map<String, Double> exps = new LinkedHashMap<>();
        exps.put("alpha", l.alpha());
        exps.put("beta", l.beta());
        List<String> bounds = p.boundsHit() == null ? List.of()
                : p.boundsHit().stream().map(b -> b.parameter() + " (" + b.side() + ")").toList();
        Law.About about = new Law.About(key, label, "L(N, D)", String.format(Locale.ROOT,
                "%s: E %.4g, A %.4g, B %.4g, alpha %.4g, beta %.4g", label, l.E(), l.A(), l.B(), l.alpha(), l.beta()),
                fit.maxFittedFlops(), "the largest compute the fit used", p.a(), ci(p.ci(), "a"),
                Identification.of(exps, p.ci(), bounds));
        List<Law> samples = new ArrayList<>();
        for (ParametricLaw b : parametricSamples(p)) {
            samples.add(Law.Joint.sample(about, b::loss, b.E(), curve));
        }
        double[] res = p.residuals() == null ? null
                : p.residuals().stream().mapToDouble(ParametricResult.Residual::logResidual).toArray();
        return new Law.Joint(about, l::loss, l.E(), curve, 5, res, List.copyOf(samples));
    }

    static Law kaplan(FitReport fit) {
        KaplanResult k = fit.kaplan();
        if (k == null || k.joint() == null || !Double.isFinite(k.joint().alphaN())) {
            return null;
        }
        KaplanJointLaw j = k.joint();
        FlopsCurve curve = fit.curve();
        Map<String, Double> exps = new LinkedHashMap<>();
        exps.put("alpha_N", j.alphaN());
        exps.put("alpha_D", j.alphaD());
        Map<String, double[]> cis = new HashMap<>();
        cis.put("alpha_N", ci(k.ci(), "joint_alpha_N"));
        cis.put("alpha_D", ci(k.ci(), "joint_alpha_D"));
        Law.About about = new Law.About(Approach.KAPLAN.key(), Approach.KAPLAN.label(), "joint L(N, D)", String.format(Locale.ROOT,
                "Kaplan joint law: alpha_N %.4g, alpha_D %.4g, N_c %.4g, D_c %.4g (no irreducible loss)", j.alphaN(),
                j.alphaD(), j.nC(), j.dC()), fit.maxFittedFlops(), "the largest compute the fit used",
                j.alphaD() / (j.alphaN() + j.alphaD()), null, Identification.of(exps, cis, List.of()));
        List<Law> samples = new ArrayList<>();
        for (KaplanJointLaw b : jointSamples(k)) {
            samples.add(Law.Joint.sample(about, b::loss, 0, curve));
        }
        // Kaplan's fit stores no residuals: they come from the runs it was fitted on
        return new Law.Joint(about, j::loss, 0, curve, 4, null, List.copyOf(samples));
    }

    static Law approach2(FitReport fit) {
        IsoFlopResult p = fit.approach2();
        if (p == null || p.nOptLaw() == null || p.dOptLaw() == null) {
            return null;
        }
        FlopsCurve curve = fit.curve();
        double max = p.budgets().stream().filter(IsoFlopResult.Budget::used).mapToDouble(IsoFlopResult.Budget::flops)
                .max().orElse(Double.NaN);
        Law.About about = new Law.About(Approach.ISOFLOP.key(), Approach.ISOFLOP.label(), "power laws across IsoFLOP minima ("
                + curve.flopConvention() + " FLOPs); loss from a power law of loss_opt(C) with no irreducible term",
                "approach 2: power laws of the IsoFLOP minima (N_opt, D_opt and loss_opt, which has no irreducible "
                        + "term: it models only the compute-optimal frontier)", max,
                "the largest budget approach 2 used", p.a(), ci(p.ci(), "a"), allocationIdentification(p.a(), p.b(),
                        p.ci()));
        return new Law.Frontier(about, p.nOptLaw(), p.dOptLaw(), p.lossOptLaw(), curve,
                frontierSamples(about, p.bootstrap(), true, curve));
    }

    static Law approach1(FitReport fit) {
        EnvelopeResult p = fit.approach1();
        if (p == null || p.nOptLaw() == null || p.dOptLaw() == null) {
            return null;
        }
        FlopsCurve curve = fit.curve();
        double max = p.envelope().stream().mapToDouble(EnvelopeResult.Point::flops).max().orElse(Double.NaN);
        Law.About about = new Law.About(Approach.ENVELOPE.key(), Approach.ENVELOPE.label(),
                "power laws of the training-curve envelope; approach 1 gives no loss",
                "approach 1: power laws of the training-curve envelope (N_opt and D_opt only, no loss)", max,
                "the largest C of approach 1's envelope", p.a(), ci(p.ci(), "a"),
                allocationIdentification(p.a(), p.b(), p.ci()));
        return new Law.Frontier(about, p.nOptLaw(), p.dOptLaw(), null, curve,
                frontierSamples(about, p.bootstrap(), false, curve));
    }

    /** Approaches 2 and 1 are identified through their allocation exponents a and b. */
    private static Identification allocationIdentification(double a, double b, Map<String, double[]> ci) {
        Map<String, Double> exps = new LinkedHashMap<>();
        exps.put("a", a);
        exps.put("b", b);
        return Identification.of(exps, ci, List.of());
    }

    private static double[] ci(Map<String, double[]> ci, String key) {
        return ci == null ? null : ci.get(key);
    }

    /*
     * The bootstrap samples as laws. Every interval drawn from a fit (predict's, the validations', the
     * report's bands, a forecast's) takes its samples from these methods, so all leave out the same
     * failed refits.
     */

    /** The bootstrap laws of approach 3 whose refit succeeded; empty when the fit had no bootstrap. */
    public static List<ParametricLaw> parametricSamples(ParametricResult p3) {
        Map<String, double[]> s = samples(p3.bootstrap());
        List<ParametricLaw> laws = new ArrayList<>();
        if (!s.keySet().containsAll(List.of("E", "A", "B", "alpha", "beta"))) {
            return laws;
        }
        for (int r = 0; r < s.get("E").length; r++) {
            ParametricLaw l = new ParametricLaw(s.get("E")[r], s.get("A")[r], s.get("B")[r], s.get("alpha")[r],
                    s.get("beta")[r]);
            if (Double.isFinite(l.E()) && Double.isFinite(l.alpha()) && Double.isFinite(l.beta())) {
                laws.add(l);
            }
        }
        return laws;
    }

    /** The bootstrap joint laws of Kaplan's fit whose refit succeeded; empty when there are none. */
    public static List<KaplanJointLaw> jointSamples(KaplanResult k) {
        Map<String, double[]> s = samples(k.bootstrap());
        List<KaplanJointLaw> laws = new ArrayList<>();
        if (!s.keySet().containsAll(List.of("joint_alpha_N", "joint_alpha_D", "joint_N_c", "joint_D_c"))) {
            return laws;
        }
        for (int r = 0; r < s.get("joint_alpha_N").length; r++) {
            KaplanJointLaw l = new KaplanJointLaw(s.get("joint_alpha_N")[r], s.get("joint_alpha_D")[r],
                    s.get("joint_N_c")[r], s.get("joint_D_c")[r], Double.NaN, null);
            if (Double.isFinite(l.alphaN()) && Double.isFinite(l.alphaD())) {
                laws.add(l);
            }
        }
        return laws;
    }

    /**
     * Approach 2's or 1's bootstrap frontiers: a sample whose N or D law failed is left out; one whose
     * loss law alone failed keeps its allocation and has no loss.
     */
    private static List<Law> frontierSamples(Law.About about, BootstrapSummary b, boolean withLoss, FlopsCurve curve) {
        Map<String, double[]> s = samples(b);
        List<Law> out = new ArrayList<>();
        double[] kn = s.get("N_coefficient");
        double[] a = s.get("a");
        double[] kd = s.get("D_coefficient");
        double[] bb = s.get("b");
        double[] kl = s.get("loss_coefficient");
        double[] g = s.get("loss_exponent");
        if (kn == null || a == null || kd == null || bb == null) {
            return out;
        }
        boolean loss = withLoss && kl != null && g != null;
        for (int r = 0; r < kn.length; r++) {
            if (Double.isFinite(kn[r]) && Double.isFinite(a[r]) && Double.isFinite(kd[r]) && Double.isFinite(bb[r])) {
                out.add(new Law.Frontier(about, new PowerLaw(kn[r], a[r]), new PowerLaw(kd[r], bb[r]),
                        loss && Double.isFinite(kl[r]) && Double.isFinite(g[r]) ? new PowerLaw(kl[r], g[r]) : null,
                        curve, List.of()));
            }
        }
        return List.copyOf(out);
    }

    private static Map<String, double[]> samples(BootstrapSummary b) {
        return b == null || b.samples() == null ? Map.of() : b.samples();
    }
}
