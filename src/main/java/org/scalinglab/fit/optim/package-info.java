/**
 * Optimisation and resampling, the layer every approach stands on: {@link org.scalinglab.fit.optim.Lbfgs}
 * with its {@link org.scalinglab.fit.optim.WolfeLineSearch}, its box-constrained form
 * {@link org.scalinglab.fit.optim.BoxLbfgs}, the {@link org.scalinglab.fit.optim.StartGrid} of
 * approach 3's starts, a one-dimensional {@link org.scalinglab.fit.optim.LogMinimiser}, the
 * {@link org.scalinglab.fit.optim.HuberLogLoss}, the threads that run starts in parallel, and the
 * {@link org.scalinglab.fit.optim.Bootstrap} (resampling with its summaries). A leaf: it knows nothing of
 * runs or laws, so it can be tested on plain functions.
 */
package org.scalinglab.fit.optim;
