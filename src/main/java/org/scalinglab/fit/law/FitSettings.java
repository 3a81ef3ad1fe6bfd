package org.scalinglab.fit.law;

import static org.scalinglab.io.JsonRules.*;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.approach.BudgetGrouping;
import org.scalinglab.fit.approach.EnvelopeFit;
import org.scalinglab.fit.approach.IsoFlopSettings;
import org.scalinglab.fit.approach.ParametricFit;
import org.scalinglab.fit.approach.ParametricResult;
import org.scalinglab.fit.optim.Bootstrap;
import org.scalinglab.fit.optim.StartGrid;
import org.scalinglab.io.JsonRules.ObjectRule;

/**
 * Every setting that can change a fit's answer, recorded in fits.json so the fit can be redone.
 * {@code grid} is approach 3's start grid; {@code extraRefitStarts} how many extra distinct grid starts each
 * approach-3 bootstrap refit uses besides the optimum and its own start; {@code isoFlop} how approach 2 draws
 * each budget's profile ({@link IsoFlopSettings}), written to fits.json as {@code isoflop_curve} and
 * {@code isoflop_window}. The approach is written as its option ({@code all}, {@code 3}, ...).
 */
@JsonPropertyOrder({"approach", "param_convention", "flop_convention", "drop_highest", "bootstrap", "seed", "generator",
    "ci_level", "huber_delta", "grid", "extra_refit_starts", "envelope_grid_points", "irreducible",
    "budget_gap_decades", "allocation_convention", "isoflop_curve", "isoflop_window"})
public record FitSettings(
        Approach approach,
        String paramConvention,
        String flopConvention,
        int dropHighest,
        int bootstrap,
        long seed,
        String generator,
        double ciLevel,
        double huberDelta,
        Map<String, double[]> grid,
        int extraRefitStarts,
        int envelopeGridPoints,
        boolean irreducible,
        double budgetGapDecades,
        String allocationConvention,
        @JsonIgnore IsoFlopSettings isoFlop) {

    public static final int DEFAULT_BOOTSTRAP = 200;

    /** fits.json's settings; a fits.json written before approach 2's were recorded fitted parabolas to every size. */
    @JsonCreator
    static FitSettings read(@JsonProperty("approach") String approach,
            @JsonProperty("param_convention") String paramConvention,
            @JsonProperty("flop_convention") String flopConvention, @JsonProperty("drop_highest") int dropHighest,
            @JsonProperty("bootstrap") int bootstrap, @JsonProperty("seed") long seed,
            @JsonProperty("generator") String generator, @JsonProperty("ci_level") double ciLevel,
            @JsonProperty("huber_delta") double huberDelta, @JsonProperty("grid") Map<String, double[]> grid,
            @JsonProperty("extra_refit_starts") int extraRefitStarts,
            @JsonProperty("envelope_grid_points") int envelopeGridPoints,
            @JsonProperty("irreducible") boolean irreducible,
            @JsonProperty("budget_gap_decades") double budgetGapDecades,
            @JsonProperty("allocation_convention") String allocationConvention,
            @JsonProperty("isoflop_curve") String isoflopCurve, @JsonProperty("isoflop_window") String isoflopWindow) {
        IsoFlopSettings isoFlop = isoflopCurve == null ? new IsoFlopSettings(IsoFlopSettings.Curve.PARABOLA,
                IsoFlopSettings.ALL) : IsoFlopSettings.parse(isoflopCurve, isoflopWindow == null ? "all" : isoflopWindow);
        return new FitSettings(approach == null ? null : Approach.parse(approach), paramConvention, flopConvention,
                dropHighest, bootstrap, seed, generator, ciLevel, huberDelta, grid, extraRefitStarts, envelopeGridPoints,
                irreducible, budgetGapDecades, allocationConvention, isoFlop);
    }

    public static FitSettings defaults() {
        return defaults(Approach.ALL, ParamConvention.DEFAULT, FlopConvention.DEFAULT);
    }

    /** The defaults of fit and validate for one approach, in the given conventions. */
    public static FitSettings defaults(Approach approach, ParamConvention p, FlopConvention f) {
        return of(approach, p, f, 0, DEFAULT_BOOTSTRAP, Bootstrap.DEFAULT_SEED, Bootstrap.DEFAULT_LEVEL, false);
    }

    public static FitSettings of(Approach approach, ParamConvention p, FlopConvention f, int dropHighest,
            int bootstrap, long seed, double level, boolean irreducible) {
        return new FitSettings(approach, p.option(), f.key(), dropHighest, bootstrap, seed,
                Bootstrap.GENERATOR, level, ParametricFit.CHINCHILLA_HUBER_DELTA, StartGrid.chinchilla().describe(),
                3, EnvelopeFit.DEFAULT_GRID_POINTS, irreducible, BudgetGrouping.GAP_DECADES,
                ParametricResult.ALLOCATION_CONVENTION, IsoFlopSettings.defaults());
    }

    public FitSettings withBootstrap(int n) {
        return new FitSettings(approach, paramConvention, flopConvention, dropHighest, n, seed, generator, ciLevel,
                huberDelta, grid, extraRefitStarts, envelopeGridPoints, irreducible, budgetGapDecades,
                allocationConvention, isoFlop);
    }

    public FitSettings withApproach(Approach a) {
        return new FitSettings(a, paramConvention, flopConvention, dropHighest, bootstrap, seed, generator,
                ciLevel, huberDelta, grid, extraRefitStarts, envelopeGridPoints, irreducible, budgetGapDecades,
                allocationConvention, isoFlop);
    }

    public FitSettings withDropHighest(int n) {
        return new FitSettings(approach, paramConvention, flopConvention, n, bootstrap, seed, generator, ciLevel,
                huberDelta, grid, extraRefitStarts, envelopeGridPoints, irreducible, budgetGapDecades,
                allocationConvention, isoFlop);
    }

    public FitSettings withGrid(Map<String, double[]> g) {
        return new FitSettings(approach, paramConvention, flopConvention, dropHighest, bootstrap, seed, generator,
                ciLevel, huberDelta, g, extraRefitStarts, envelopeGridPoints, irreducible, budgetGapDecades,
                allocationConvention, isoFlop);
    }

    public FitSettings withIsoFlop(IsoFlopSettings i) {
        return new FitSettings(approach, paramConvention, flopConvention, dropHighest, bootstrap, seed, generator,
                ciLevel, huberDelta, grid, extraRefitStarts, envelopeGridPoints, irreducible, budgetGapDecades,
                allocationConvention, i);
    }

    /** Approach 2's profile curve, as fits.json writes it. */
    @JsonProperty("isoflop_curve")
    public String isoflopCurve() {
        return isoFlop.curve().key();
    }

    /** Approach 2's window of sizes, as fits.json and the command line write it. */
    @JsonProperty("isoflop_window")
    public String isoflopWindow() {
        return isoFlop.windowKey();
    }

    public Bootstrap bootstrapper() {
        return new Bootstrap(bootstrap, seed, ciLevel);
    }

    /** What fits.json's {@code settings} must hold where predict and report read it. */
    public static final ObjectRule RULES = object()
            .optional("param_convention", text("total", "non-embedding", "non-embedding-with-head"))
            .optional("flop_convention", text(FlopConvention.KAPLAN.key(), FlopConvention.CHINCHILLA.key()))
            .optional("ci_level", number(d -> d > 0 && d < 1, "must be in (0, 1)"))
            .optional("bootstrap", integer(0));
}
