/**
 * The fit's inputs and outputs: a results folder or CSV read into a
 * {@link org.scalinglab.fit.io.RunTable} ({@link org.scalinglab.fit.io.RunTableReader}, with what was
 * read and skipped in its {@link org.scalinglab.fit.io.InputProvenance}), and a fit written as fits.json
 * ({@link org.scalinglab.fit.io.FitsJson}, {@link org.scalinglab.fit.io.FitsSchema}) or as text
 * ({@link org.scalinglab.fit.io.ReportText}).
 */
package org.scalinglab.fit.io;
