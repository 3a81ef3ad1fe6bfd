/**
 * The fit's outputs, its top layer: a fit written as fits.json ({@link org.scalinglab.fit.output.FitsJson}, checked
 * against the rules each record declares beside its components) or as text ({@link org.scalinglab.fit.output.ReportText}).
 * It reads every layer below; none reads it.
 */
package org.scalinglab.fit.output;
