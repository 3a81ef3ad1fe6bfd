package org.scalinglab.report;

import java.util.List;

/** The sweep's figures 1 to 7 in page order, each drawn by its own class from {@link ReportData} alone. */
final class Figures {
    /** How far beyond the sweep's largest compute the extrapolations are drawn. */
    static final double EXTRAPOLATE = 100;
    /** Reference allocation exponents a of N_opt ~ C^a. */
    static final double CHINCHILLA_A = 0.50;
    static final double KAPLAN_A = 0.73;

    private Figures() {}

    static List<Figure> all(ReportData data) {
        TrainingCurvesFigure curves = new TrainingCurvesFigure(data);
        AllocationFigure allocation = new AllocationFigure(data);
        return List.of(
                Figure.build("1a", "loss-vs-tokens", "Training curves: loss against tokens", () -> curves.draw(false)),
                Figure.build("1b", "loss-vs-flops", "Training curves: loss against FLOPs", () -> curves.draw(true)),
                Figure.build("2", "isoflop-profiles", "IsoFLOP profiles", new IsoFlopProfilesFigure(data)::draw),
                Figure.build("3a", "n-opt", "Compute-optimal model size N_opt(C)", () -> allocation.draw(false)),
                Figure.build("3b", "d-opt", "Compute-optimal tokens D_opt(C)", () -> allocation.draw(true)),
                Figure.build("4", "loss-frontier", "Loss frontier and extrapolation",
                        new LossFrontierFigure(data)::draw),
                Figure.build("5", "loss-contours", "Approach 3: L(N, D) contours", new LossContoursFigure(data)::draw),
                Figure.build("6", "holdout-validation", "Held-out validation", new HoldoutValidationFigure(data)::draw),
                Figure.build("7a", "loss-residuals", "Residuals of the loss fits", new LossResidualsFigure(data)::draw),
                Figure.build("7b", "allocation-residuals", "Residuals of the N_opt power laws",
                        new AllocationResidualsFigure(data)::draw));
    }
}
