package org.scalinglab.forecast;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.scalinglab.fit.FitReport;
import org.scalinglab.fit.approach.EnvelopeResult;
import org.scalinglab.fit.approach.FlopsCurve;
import org.scalinglab.fit.approach.IsoFlopResult;
import org.scalinglab.fit.approach.KaplanJointLaw;
import org.scalinglab.fit.approach.KaplanResult;
import org.scalinglab.fit.approach.ParametricLaw;
import org.scalinglab.fit.approach.ParametricResult;
import org.scalinglab.fit.approach.PowerLaw;
import org.scalinglab.fit.uncertainty.Bootstrap;
import org.scalinglab.fit.uncertainty.BootstrapSummary;
import org.scalinglab.fit.uncertainty.Predictor;

/**
 * The law a forecast extrapolates, with the bootstrap laws that give its intervals (none for a published
 * law), its conventions and the largest compute it was fitted on.
 *
 * @param name {@code hoffmann-2022}, {@code epoch-2024}, or the fit's approach ({@code approach3}, ...)
 * @param paramConvention how N is counted ({@code total} for the published laws)
 * @param maxFittedFlops the largest C the law was fitted on, in its convention; NaN when unknown
 * @param fittedRange where {@code maxFittedFlops} comes from
 */
public record LawSource(String name, String description, String paramConvention, Law central, List<Law> samples,
        double level, double maxFittedFlops, String fittedRange) {

    /** Published laws, fitted under C = 6ND. */
    public static final List<String> PUBLISHED = List.of("hoffmann-2022", "epoch-2024");

    /** The largest Training FLOP of Epoch AI's 245 runs extracted from Hoffmann et al.'s Figure 4. */
    static final double CHINCHILLA_RUNS_MAX_FLOPS = 1.2956e22;

    /** The approaches a fits.json may hold, in the order a forecast prefers them. */
    public static final List<String> APPROACHES = List.of("approach3", "kaplan", "approach2", "approach1");

    public static LawSource published(String key) {
        FlopsCurve six = FlopsCurve.sixN("total", "6ND");
        String range = "the largest of the Chinchilla runs as Epoch AI extracted them (245 runs, up to "
                + "1.3e22 FLOPs; Hoffmann et al. fitted the same runs)";
        return switch (key.toLowerCase(Locale.ROOT)) {
            case "hoffmann-2022" -> parametric(key, "Hoffmann et al. 2022, approach 3 (eq. 10)",
                    new ParametricLaw(1.69, 406.4, 410.7, 0.34, 0.28), six, range);
            case "epoch-2024" -> parametric(key, "Besiroglu et al. 2024 (Epoch AI), the Chinchilla replication",
                    new ParametricLaw(1.8172, 482.01, 2085.43, 0.3478, 0.3658), six, range);
            default -> throw new IllegalArgumentException("unknown law '" + key + "' (known: "
                    + String.join(", ", PUBLISHED) + ")");
        };
    }

    private static LawSource parametric(String key, String who, ParametricLaw l, FlopsCurve six, String range) {
        String d = String.format(Locale.ROOT, "%s: L = E + A/N^alpha + B/D^beta, E %s, A %s, B %s, alpha %s, beta %s; "
                + "N total parameters, C = 6ND", who, l.E(), l.A(), l.B(), l.alpha(), l.beta());
        return new LawSource(key, d, "total", new Law.Joint(l::loss, l.E(), six), List.of(), Bootstrap.DEFAULT_LEVEL,
                CHINCHILLA_RUNS_MAX_FLOPS, range);
    }

    /**
     * One approach of a fits.json ({@code approach3}, {@code kaplan}, {@code approach2}, {@code approach1};
     * {@code 3}, {@code 2}, {@code 1} too), or when {@code approach} is null the first the file holds in
     * {@link #APPROACHES}' order.
     */
    public static LawSource fromFit(FitReport fit, String approach) {
        String key = approach == null ? APPROACHES.stream().filter(a -> present(fit, a)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the fit holds no approach a forecast can use"))
                : normalise(approach);
        if (!present(fit, key)) {
            String why = fit.notFitted() != null && fit.notFitted().containsKey(key) ? ": " + fit.notFitted().get(key)
                    : "";
            throw new IllegalArgumentException("the fit has no " + key + why);
        }
        FlopsCurve curve = fit.curve();
        double level = fit.ciLevel();
        String params = fit.settings() == null ? "total" : fit.settings().paramConvention();
        String conv = "N " + params + " parameters, C in " + (curve.isSixN() ? "6ND (the input gave no shapes)"
                : curve.flopConvention() + " FLOPs along the runs' shapes, C = D x F(N)");
        String range = "the largest compute the fit used";
        switch (key) {
            case "approach3" -> {
                ParametricResult p = fit.approach3();
                ParametricLaw l = p.law();
                List<Law> s = new ArrayList<>();
                for (ParametricLaw b : Predictor.parametricSamples(p)) {
                    s.add(new Law.Joint(b::loss, b.E(), curve));
                }
                return new LawSource(key, String.format(Locale.ROOT, "the fit's approach 3: E %.4g, A %.4g, B %.4g, "
                        + "alpha %.4g, beta %.4g; %s", l.E(), l.A(), l.B(), l.alpha(), l.beta(), conv), params,
                        new Law.Joint(l::loss, l.E(), curve), s, level, fit.maxFittedFlops(), range);
            }
            case "kaplan" -> {
                KaplanResult k = fit.kaplan();
                KaplanJointLaw j = k.joint();
                List<Law> s = new ArrayList<>();
                for (KaplanJointLaw b : Predictor.jointSamples(k)) {
                    s.add(new Law.Joint(b::loss, 0, curve));
                }
                return new LawSource(key, String.format(Locale.ROOT, "the fit's Kaplan joint law: alpha_N %.4g, "
                        + "alpha_D %.4g, N_c %.4g, D_c %.4g (no irreducible loss); %s", j.alphaN(), j.alphaD(), j.nC(),
                        j.dC(), conv), params, new Law.Joint(j::loss, 0, curve), s, level, fit.maxFittedFlops(), range);
            }
            case "approach2" -> {
                IsoFlopResult p = fit.approach2();
                double max = p.budgets().stream().filter(IsoFlopResult.Budget::used)
                        .mapToDouble(IsoFlopResult.Budget::flops).max().orElse(Double.NaN);
                return new LawSource(key, "the fit's approach 2: power laws of the IsoFLOP minima (N_opt, D_opt and "
                        + "loss_opt, which has no irreducible term: it models only the compute-optimal frontier); "
                        + conv, params, new Law.Frontier(p.nOptLaw(), p.dOptLaw(), p.lossOptLaw(), curve),
                        frontierSamples(p.bootstrap(), true, curve), level, max, "the largest budget approach 2 used");
            }
            default -> {
                EnvelopeResult p = fit.approach1();
                double max = p.envelope().stream().mapToDouble(EnvelopeResult.Point::flops).max().orElse(Double.NaN);
                return new LawSource(key, "the fit's approach 1: power laws of the training-curve envelope (N_opt and "
                        + "D_opt only, no loss); " + conv, params, new Law.Frontier(p.nOptLaw(), p.dOptLaw(), null,
                                curve), frontierSamples(p.bootstrap(), false, curve), level, max,
                        "the largest C of approach 1's envelope");
            }
        }
    }

    private static String normalise(String a) {
        String s = a.toLowerCase(Locale.ROOT).trim();
        return switch (s) {
            case "3", "approach3", "parametric" -> "approach3";
            case "2", "approach2", "isoflop" -> "approach2";
            case "1", "approach1", "envelope" -> "approach1";
            case "kaplan" -> "kaplan";
            default -> throw new IllegalArgumentException("unknown approach '" + a + "' (expected 3, kaplan, 2 or 1)");
        };
    }

    private static boolean present(FitReport fit, String key) {
        return switch (key) {
            case "approach3" -> fit.approach3() != null;
            case "kaplan" -> fit.kaplan() != null && fit.kaplan().joint() != null;
            case "approach2" -> fit.approach2() != null && fit.approach2().nOptLaw() != null;
            case "approach1" -> fit.approach1() != null && fit.approach1().nOptLaw() != null;
            default -> false;
        };
    }

    private static List<Law> frontierSamples(BootstrapSummary b, boolean withLoss, FlopsCurve curve) {
        Map<String, double[]> s = b == null || b.samples() == null ? Map.of() : b.samples();
        List<Law> out = new ArrayList<>();
        double[] kn = s.get("N_coefficient");
        double[] a = s.get("a");
        double[] kd = s.get("D_coefficient");
        double[] bb = s.get("b");
        double[] kl = s.get("loss_coefficient");
        double[] g = s.get("loss_exponent");
        if (kn == null || a == null || kd == null || bb == null || (withLoss && (kl == null || g == null))) {
            return out;
        }
        for (int r = 0; r < kn.length; r++) {
            if (Double.isFinite(kn[r]) && Double.isFinite(a[r]) && Double.isFinite(kd[r]) && Double.isFinite(bb[r])) {
                out.add(new Law.Frontier(new PowerLaw(kn[r], a[r]), new PowerLaw(kd[r], bb[r]),
                        withLoss && Double.isFinite(kl[r]) ? new PowerLaw(kl[r], g[r]) : null, curve));
            }
        }
        return out;
    }
}
