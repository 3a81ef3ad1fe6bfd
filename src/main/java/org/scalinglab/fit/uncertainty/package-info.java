/**
 * How far to trust a fit: the {@link org.scalinglab.fit.uncertainty.Bootstrap} and its summaries,
 * predictions with intervals ({@link org.scalinglab.fit.uncertainty.Predictor}), and validation against
 * runs the fit did not see: the largest budget held out
 * ({@link org.scalinglab.fit.uncertainty.HoldoutValidation}) or a check run trained at the predicted
 * optimum ({@link org.scalinglab.fit.uncertainty.CheckValidation}).
 */
package org.scalinglab.fit.uncertainty;
