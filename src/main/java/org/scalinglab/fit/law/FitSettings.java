package org.scalinglab.fit.law;

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

/**
 * Every setting that can change a fit's answer, recorded in fits.json so the fit can be redone.
 * {@code grid} is approach 3's start grid; {@code extraRefitStarts} how many extra distinct grid starts each
 * approach-3 bootstrap refit uses besides the optimum and its own start; {@code isoflopCurve} and
 * {@code isoflopWindow} how approach 2 draws each budget's profile ({@link IsoFlopSettings}).
 */
public record FitSettings(
        String approach,
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
        String isoflopCurve,
        String isoflopWindow) {

    public static final int DEFAULT_BOOTSTRAP = 200;

    public static FitSettings defaults() {
        return defaults(Approach.ALL, ParamConvention.DEFAULT, FlopConvention.DEFAULT);
    }

    /** The defaults of fit and validate for one approach, in the given conventions. */
    public static FitSettings defaults(Approach approach, ParamConvention p, FlopConvention f) {
        return of(approach, p, f, 0, DEFAULT_BOOTSTRAP, Bootstrap.DEFAULT_SEED, Bootstrap.DEFAULT_LEVEL, false);
    }

    public static FitSettings of(Approach approach, ParamConvention p, FlopConvention f, int dropHighest,
            int bootstrap, long seed, double level, boolean irreducible) {
        return new FitSettings(approach.option(), p.option(), f.key(), dropHighest, bootstrap, seed,
                Bootstrap.GENERATOR, level, ParametricFit.CHINCHILLA_HUBER_DELTA, StartGrid.chinchilla().describe(),
                3, EnvelopeFit.DEFAULT_GRID_POINTS, irreducible, BudgetGrouping.GAP_DECADES,
                ParametricResult.ALLOCATION_CONVENTION, IsoFlopSettings.defaults().curve().key(),
                IsoFlopSettings.defaults().windowKey());
    }

    public FitSettings withBootstrap(int n) {
        return new FitSettings(approach, paramConvention, flopConvention, dropHighest, n, seed, generator, ciLevel,
                huberDelta, grid, extraRefitStarts, envelopeGridPoints, irreducible, budgetGapDecades,
                allocationConvention, isoflopCurve, isoflopWindow);
    }

    public FitSettings withApproach(Approach a) {
        return new FitSettings(a.option(), paramConvention, flopConvention, dropHighest, bootstrap, seed, generator,
                ciLevel, huberDelta, grid, extraRefitStarts, envelopeGridPoints, irreducible, budgetGapDecades,
                allocationConvention, isoflopCurve, isoflopWindow);
    }

    public FitSettings withDropHighest(int n) {
        return new FitSettings(approach, paramConvention, flopConvention, n, bootstrap, seed, generator, ciLevel,
                huberDelta, grid, extraRefitStarts, envelopeGridPoints, irreducible, budgetGapDecades,
                allocationConvention, isoflopCurve, isoflopWindow);
    }

    public FitSettings withGrid(Map<String, double[]> g) {
        return new FitSettings(approach, paramConvention, flopConvention, dropHighest, bootstrap, seed, generator,
                ciLevel, huberDelta, g, extraRefitStarts, envelopeGridPoints, irreducible, budgetGapDecades,
                allocationConvention, isoflopCurve, isoflopWindow);
    }

    public FitSettings withIsoFlop(IsoFlopSettings i) {
        return new FitSettings(approach, paramConvention, flopConvention, dropHighest, bootstrap, seed, generator,
                ciLevel, huberDelta, grid, extraRefitStarts, envelopeGridPoints, irreducible, budgetGapDecades,
                allocationConvention, i.curve().key(), i.windowKey());
    }

    /** Approach 2's profile settings; a fits.json written before they were recorded fitted parabolas to every size. */
    public IsoFlopSettings isoFlop() {
        if (isoflopCurve == null) {
            return new IsoFlopSettings(IsoFlopSettings.Curve.PARABOLA, IsoFlopSettings.ALL);
        }
        return IsoFlopSettings.parse(isoflopCurve, isoflopWindow == null ? "all" : isoflopWindow);
    }

    public Approach approachValue() {
        return Approach.parse(approach);
    }

    public Bootstrap bootstrapper() {
        return new Bootstrap(bootstrap, seed, ciLevel);
    }
}
