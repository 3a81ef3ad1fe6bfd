package org.scalinglab.forecast;

import java.util.List;
import java.util.Locale;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.approach.ParametricLaw;
import org.scalinglab.fit.input.FlopsCurve;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.law.Identification;
import org.scalinglab.fit.law.Law;
import org.scalinglab.fit.law.Laws;
import org.scalinglab.fit.optim.Bootstrap;

/**
 * The law a forecast extrapolates, with the bootstrap laws that give its intervals (none for a published
 * law), its conventions and the largest compute it was fitted on.
 *
 * @param name {@code hoffmann-2022}, {@code epoch-2024}, or the fit's approach ({@code approach3}, ...)
 * @param paramConvention how N is counted ({@code total} for the published laws)
 * @param maxFittedFlops the largest C the law was fitted on, in its convention; NaN when unknown
 * @param fittedRange where {@code maxFittedFlops} comes from
 * @param warnings what a plan from this law must say (an unidentified law, a published law's known flaw)
 * @param unsupportedFromN the N from which the fitted runs' losses do not yet have the law's shape
 *     (fits.json's loss_curvature), where an allocation is not supported by the data; null when none
 */
public record LawSource(String name, String description, String paramConvention, Law central, List<Law> samples,
        double level, double maxFittedFlops, String fittedRange, List<String> warnings, Double unsupportedFromN) {

    public LawSource(String name, String description, String paramConvention, Law central, List<Law> samples,
            double level, double maxFittedFlops, String fittedRange) {
        this(name, description, paramConvention, central, samples, level, maxFittedFlops, fittedRange, List.of(), null);
    }

    /**
     * Hoffmann et al.'s approach-3 constants do not agree with their own approaches 1 and 2, nor with
     * Chinchilla itself; Besiroglu et al. (2024) traced it to the fit and refitted the same runs.
     */
    static final String HOFFMANN_WARNING = "warning: Hoffmann et al. 2022's approach-3 constants are known to be "
            + "inconsistent: they disagree with the paper's approaches 1 and 2 and call Chinchilla itself (70B "
            + "parameters, 1.4T tokens) over-trained; Besiroglu et al. 2024 (Epoch AI) refitted the same runs and "
            + "found the fit itself at fault (an optimizer that stopped early, a loss rounded in reporting). "
            + "Prefer --law epoch-2024";

    /** Published laws, fitted under C = 6ND. */
    public static final List<String> PUBLISHED = List.of("hoffmann-2022", "epoch-2024");

    /** The largest Training FLOP of Epoch AI's 245 runs extracted from Hoffmann et al.'s Figure 4. */
    static final double CHINCHILLA_RUNS_MAX_FLOPS = 1.2956e22;

    /** The approaches a fits.json may hold, in the order a forecast prefers them. */
    public static final List<String> APPROACHES = java.util.stream.Stream.of(Approach.PARAMETRIC, Approach.KAPLAN,
            Approach.ISOFLOP, Approach.ENVELOPE).map(Approach::key).toList();

    public static LawSource published(String key) {
        FlopsCurve six = FlopsCurve.sixN("total", "6ND");
        String range = "the largest of the Chinchilla runs as Epoch AI extracted them (245 runs, up to "
                + "1.3e22 FLOPs; Hoffmann et al. fitted the same runs)";
        return switch (key.toLowerCase(Locale.ROOT)) {
            case "hoffmann-2022" -> parametric(key, "Hoffmann et al. 2022, approach 3 (eq. 10)",
                    new ParametricLaw(1.69, 406.4, 410.7, 0.34, 0.28), six, range).withWarnings(List.of(HOFFMANN_WARNING));
            case "epoch-2024" -> parametric(key, "Besiroglu et al. 2024 (Epoch AI), the Chinchilla replication",
                    new ParametricLaw(1.8172, 482.01, 2085.43, 0.3478, 0.3658), six, range);
            default -> throw new IllegalArgumentException("unknown law '" + key + "' (known: "
                    + String.join(", ", PUBLISHED) + ")");
        };
    }

    private static LawSource parametric(String key, String who, ParametricLaw l, FlopsCurve six, String range) {
        String d = String.format(Locale.ROOT, "%s: L = E + A/N^alpha + B/D^beta, E %s, A %s, B %s, alpha %s, beta %s; "
                + "N total parameters, C = 6ND", who, l.E(), l.A(), l.B(), l.alpha(), l.beta());
        Law.About about = new Law.About(key, key, "L(N, D)", d, CHINCHILLA_RUNS_MAX_FLOPS, range, l.a(), null,
                Identification.PUBLISHED);
        return new LawSource(key, d, "total", new Law.Joint(about, l::loss, l.E(), six, 5, null, List.of()), List.of(),
                Bootstrap.DEFAULT_LEVEL, CHINCHILLA_RUNS_MAX_FLOPS, range);
    }

    /**
     * One law of a fits.json by name ({@code approach3}, {@code kaplan}, {@code approach2}, {@code approach1};
     * {@code 3}, {@code 2}, {@code 1} too), or when {@code approach} is null or {@code recommended} the fit's
     * recommended law; a fit that recommends none (or predates the ranking) gives the first it holds in
     * {@link #APPROACHES}' order, and the description says that it is not a recommendation.
     */
    public static LawSource fromFit(FitReport fit, String approach) {
        boolean byDefault = approach == null || approach.equalsIgnoreCase(Laws.RECOMMENDED);
        List<Law> laws = Laws.of(fit);
        Law law;
        String caveat = "";
        if (byDefault && fit.recommended() != null) {
            law = find(laws, fit.recommended())
                    .orElseThrow(() -> new IllegalArgumentException("the fit recommends " + fit.recommended()
                            + ", which it does not hold"));
        } else if (byDefault) {
            law = APPROACHES.stream().map(a -> find(laws, a)).flatMap(java.util.Optional::stream).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("the fit holds no approach a forecast can use"));
            caveat = fit.ranking() == null ? "; the fit predates the law ranking, so this is its first law, not a "
                    + "recommendation" : "; not a recommendation: " + fit.ranking().verdict();
        } else {
            String key = Laws.key(approach);
            if (!APPROACHES.contains(key) && find(laws, key).isEmpty()) {
                throw new IllegalArgumentException("unknown approach '" + approach + "' (expected recommended, "
                        + String.join(", ", laws.stream().map(Law::key).toList()) + ")");
            }
            law = find(laws, key).orElseThrow(() -> new IllegalArgumentException("the fit has no " + key
                    + (fit.notFitted() != null && fit.notFitted().containsKey(key) ? ": " + fit.notFitted().get(key)
                            : "")));
        }
        String params = fit.settings() == null ? "total" : fit.settings().paramConvention();
        FlopsCurve curve = fit.curve();
        String conv = "N " + params + " parameters, C in " + (curve.isSixN() ? "6ND (the input gave no shapes)"
                : curve.flopConvention() + " FLOPs along the runs' shapes, C = D x F(N)");
        String standing = law.key().equals(fit.recommended()) ? " (the fit's recommended law)"
                : law.identification().identified() ? "" : " (" + law.identification().describe() + ")";
        List<String> warnings = new java.util.ArrayList<>();
        if (!law.identification().identified()) {
            warnings.add("warning: the data do not identify this law (" + law.identification().describe()
                    + "): its allocation and extrapolation are where the optimiser stopped, not a finding");
        }
        if (!caveat.isEmpty()) {
            warnings.add("warning: the fit recommends no law" + caveat.replaceFirst("^; (the fit )?", ": "));
        }
        Double unsupported = fit.lossCurvature() == null ? null : fit.lossCurvature().unsupportedFromN();
        return new LawSource(law.key(), "the fit's " + law.about().summary() + standing + "; " + conv + caveat, params,
                law, law.samples(), fit.ciLevel(), law.about().maxFittedFlops(), law.about().fittedRange(),
                List.copyOf(warnings), unsupported);
    }

    LawSource withWarnings(List<String> w) {
        return new LawSource(name, description, paramConvention, central, samples, level, maxFittedFlops, fittedRange,
                List.copyOf(w), unsupportedFromN);
    }

    private static java.util.Optional<Law> find(List<Law> laws, String key) {
        return laws.stream().filter(l -> l.key().equals(key)).findFirst();
    }
}
