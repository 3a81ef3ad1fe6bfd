package org.scalinglab.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.scalinglab.config.RunConfig;
import org.scalinglab.text.Numbers;
import org.scalinglab.train.runfolder.MetricsRow;
import org.scalinglab.train.RunPlan;
import org.scalinglab.train.runfolder.RunRecords.RunResult;
import org.scalinglab.train.TrainingListener;

/** Prints a run's plan, a line per metrics row, and its result. */
final class ConsoleTrainingListener implements TrainingListener {
    private final PrintWriter out;
    private final Path runDir;

    ConsoleTrainingListener(PrintWriter out, Path runDir) {
        this.out = out;
        this.runDir = runDir;
    }

    @Override
    public void started(RunConfig config, RunPlan plan, String data, String device, long resumedAt) {
        var s = plan.shape();
        var t = config.train();
        out.printf(Locale.ROOT, "run     %s (%s) -> %s%n", config.id(), config.name(), runDir);
        out.printf(Locale.ROOT, "data    %s%n", data);
        out.printf(Locale.ROOT, "model   %s, vocab %d: N = %s non-embedding, %s with head, %s total%n", s.label(),
                s.vocab(), Numbers.si(plan.params().nonEmbedding()), Numbers.si(plan.params().nonEmbeddingWithHead()),
                Numbers.si(plan.params().total()));
        out.printf(Locale.ROOT, "length  D = %s tokens (%d steps x %d), C = %s FLOPs (chinchilla) / %s (kaplan), "
                        + "D/N = %.1f (N %s)%n", Numbers.si(plan.tokens()), plan.steps(), plan.tokensPerStep(),
                Numbers.sci(plan.flopsChinchilla()), Numbers.sci(plan.flopsKaplan()), plan.tokensPerParam(),
                t.paramsConvention().jsonKey());
        out.printf(Locale.ROOT, "device  %s, %s%s%n", device, t.precision().name().toLowerCase(Locale.ROOT),
                resumedAt > 0 ? ", resuming at step " + resumedAt : "");
        out.printf(Locale.ROOT, "%8s %10s %9s %9s %10s %11s%n", "step", "tokens", "train", "val", "lr", "tokens/s");
        out.flush();
    }

    @Override
    public void row(MetricsRow r, RunPlan plan) {
        out.printf(Locale.ROOT, "%8d %10s %9s %9s %10.3e %11s%n", r.step(), Numbers.si(r.tokens()), Numbers.fixedOrBlank(r.trainLoss(), 4),
                Numbers.fixedOrBlank(r.valLoss(), 4), r.lr(), r.tokensPerS() == null ? "" : Numbers.si(Math.round(r.tokensPerS())));
        out.flush();
    }

    @Override
    public void finished(RunResult r) {
        RunResult.Losses losses = r.losses();
        RunResult.Speed speed = r.speed();
        out.printf(Locale.ROOT, "%s: val loss %s, train loss %s, %s tokens in %.1f s (%s tokens/s), %.2f epochs%n",
                r.status(), losses.finalValLoss() == null ? "-" : Numbers.fixedOrBlank(losses.finalValLoss(), 4),
                losses.finalTrainLoss() == null ? "-" : Numbers.fixedOrBlank(losses.finalTrainLoss(), 4),
                Numbers.si(r.trained().tokens()), speed.wallSeconds(),
                speed.tokensPerS() == null ? "-" : Numbers.si(Math.round(speed.tokensPerS())), r.trained().epochs());
        out.printf(Locale.ROOT, "results %s%n", runDir);
        out.flush();
    }
}
