/**
 * The approaches, each a fit of one law to a table of runs: Kaplan's laws
 * ({@link org.scalinglab.fit.approach.KaplanFit}), Chinchilla's approach 1 (the training-curve envelope,
 * {@link org.scalinglab.fit.approach.EnvelopeFit}), 2 (IsoFLOP profiles,
 * {@link org.scalinglab.fit.approach.IsoFlopFit}) and 3 (the parametric loss,
 * {@link org.scalinglab.fit.approach.ParametricFit}, and its bounded, compute-weighted variant
 * {@link org.scalinglab.fit.approach.BoundedParametricFit}), with their laws and results, and the
 * {@link org.scalinglab.fit.approach.Approach} that names them. Each approach bootstraps its own
 * intervals with {@code fit.optim}'s Bootstrap; it reads {@code fit.input}'s tables, and
 * {@code fit.run.FitRunner} runs the approaches a fit asks for.
 */
package org.scalinglab.fit.approach;
