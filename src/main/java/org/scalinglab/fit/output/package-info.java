/**
 * The fit's outputs, its top layer: a fit written as fits.json ({@link org.scalinglab.fit.output.FitsJson},
 * {@link org.scalinglab.fit.output.FitsSchema}) or as text ({@link org.scalinglab.fit.output.ReportText}).
 * It reads every layer below; none reads it.
 */
package org.scalinglab.fit.output;
