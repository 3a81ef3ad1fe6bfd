/**
 * The laws of a fit as one concept: {@link org.scalinglab.fit.law.Law} (a loss L(N, D) or a compute-optimal
 * frontier, with its bootstrap laws and whether the data identify its exponents), made from fits.json's
 * sections by {@link org.scalinglab.fit.law.Laws}' adapters, and {@link org.scalinglab.fit.law.Ranking},
 * which orders them by a backtest on the sweep's own budgets and names the law to trust; and the report
 * that holds them, {@link org.scalinglab.fit.law.FitReport} (fits.json's model), with its
 * {@link org.scalinglab.fit.law.FitSettings} and {@link org.scalinglab.fit.law.LossCurvature}. It reads
 * {@code fit.approach}'s results; predict, forecast, the report, the validations and the check stage read it.
 */
package org.scalinglab.fit.law;
