package org.scalinglab.report;

import java.util.Comparator;
import java.util.List;
import org.scalinglab.fit.approach.IsoFlopFit;
import org.scalinglab.fit.approach.IsoFlopResult;
import org.scalinglab.fit.approach.IsoFlopSettings;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.law.FitReport;

/**
 * The IsoFLOP profiles to show for a fit, whether or not approach 2 could use them: approach 2's own
 * budgets when it was fitted, otherwise every budget's profile fitted to the runs with the fit's settings
 * (approach 2 failing is when the profiles matter most: they show the edge minima that made it fail). Each
 * budget's curve ({@link IsoFlopResult.Budget#lossAt}), the runs it went through
 * ({@link IsoFlopResult.Budget#fittedPoints}) and whether its minimum is interior
 * ({@link IsoFlopResult.Budget#used}, else the {@code reason}) are approach 2's, never redone by a reader.
 *
 * @param budgets the budgets with runs, by compute
 * @param settings the window and curve the profiles were drawn with
 * @param approach2 the fitted approach 2 they come from; null when they were fitted here
 */
public record IsoFlopProfiles(List<IsoFlopResult.Budget> budgets, IsoFlopSettings settings, IsoFlopResult approach2) {

    /** The profiles of {@code fit} (null: no fit), from {@code table} (null: none) when approach 2 is absent. */
    public static IsoFlopProfiles of(FitReport fit, RunTable table) {
        IsoFlopResult p2 = fit == null ? null : fit.approach2();
        List<IsoFlopResult.Budget> budgets;
        IsoFlopSettings settings;
        if (p2 != null) {
            budgets = p2.budgets();
            settings = p2.profileSettings();
        } else {
            settings = fit != null && fit.settings() != null ? fit.settings().isoFlop() : IsoFlopSettings.defaults();
            budgets = table == null ? List.of() : new IsoFlopFit(settings).profiles(table);
        }
        return new IsoFlopProfiles(budgets.stream().filter(b -> b.points() != null && !b.points().isEmpty())
                .sorted(Comparator.comparingDouble(IsoFlopResult.Budget::flops)).toList(), settings, p2);
    }

    /** How many budgets have a curve (3 or more sizes). */
    public long withCurve() {
        return budgets.stream().filter(IsoFlopResult.Budget::hasCurve).count();
    }
}
