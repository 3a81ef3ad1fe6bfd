/**
 * How far to trust a fit's laws: predictions with intervals ({@link org.scalinglab.fit.uncertainty.Predictor},
 * {@link org.scalinglab.fit.uncertainty.PredictionInterval}) and validation against runs the fit did not
 * see: a check run trained at the predicted optimum ({@link org.scalinglab.fit.uncertainty.CheckValidation}),
 * summarised with the held-out budget's in {@link org.scalinglab.fit.uncertainty.ValidationReport}. Above
 * {@code fit.law}; the held-out validation refits, so it lives in {@code fit.run}.
 */
package org.scalinglab.fit.uncertainty;
