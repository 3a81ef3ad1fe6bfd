/**
 * One fit from end to end: {@link org.scalinglab.fit.run.FitRunner} fits the approaches a
 * {@link org.scalinglab.fit.law.FitSettings} asks for, then ranks their laws by backtests that refit on
 * part of the table ({@link org.scalinglab.fit.run.HoldoutValidation}, which is a fit too, and so lives
 * here). Above {@code fit.uncertainty}, below {@code fit.output}.
 */
package org.scalinglab.fit.run;
