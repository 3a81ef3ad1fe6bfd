package org.scalinglab.sweep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.optim.Bootstrap;
import org.scalinglab.fit.output.FitsJson;
import org.scalinglab.fit.phenomena.Phenomena;
import org.scalinglab.fit.phenomena.RunMetrics;
import org.scalinglab.text.Numbers;
import org.scalinglab.train.runfolder.RunFolder;
import org.scalinglab.train.runfolder.RunRecords.RunResult;

/**
 * What {@code plan} says about each run's batch against the critical batch size: B_crit(L) = B* / L^(1/alpha_B)
 * fitted to the gradient noise scale the sweep's finished runs measured (runs with grad_accum >= 2; see
 * {@link Phenomena}), evaluated at the loss each planned run is expected to reach: its own final loss once
 * finished, else approach 3's L(N, D) from the sweep's fits.json. A batch more than {@link Phenomena#FAR_ABOVE_CRITICAL} times B_crit
 * there is reported: by McCandlish et al. (2018), a run at B = k B_crit needs about (1 + k) / 2 times the
 * tokens of a run at B_crit to reach the same loss (E / E_min = 1 + B / B_crit).
 */
final class CriticalBatchCheck {
    private CriticalBatchCheck() {}

    static List<String> notes(SweepPlan plan, Path folder) {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        List<RunMetrics> measured = RunMetrics.withStages(folder,
                RunMetrics.read(folder, ParamConvention.TOTAL, FlopConvention.CHINCHILLA), ParamConvention.TOTAL,
                FlopConvention.CHINCHILLA);
        Phenomena.CriticalBatch cb = new Phenomena(0, Bootstrap.DEFAULT_SEED, Bootstrap.DEFAULT_LEVEL,
                ParamConvention.TOTAL, FlopConvention.CHINCHILLA).criticalBatch(measured);
        if (cb.reason() != null) {
            return out;
        }
        FitReport fit = readFit(new SweepFolder(folder).fitsJson());
        List<String> far = new ArrayList<>();
        int known = 0;
        for (PlannedRun r : plan.runs()) {
            double loss = finalLoss(folder.resolve("runs").resolve(r.id()));
            String from = "finished";
            if (!(loss > 0) && fit != null && fit.approach3() != null) {
                ParamConvention pc = ParamConvention.parse(fit.settings().paramConvention());
                loss = fit.approach3().law().loss(r.plan().params().get(pc), r.plan().tokens());
                from = "approach 3";
            }
            if (!(loss > 0)) {
                continue;
            }
            known++;
            double batch = r.plan().tokensPerStep();
            double k = batch / cb.at(loss);
            if (k > Phenomena.FAR_ABOVE_CRITICAL) {
                far.add(String.format(Locale.ROOT, "%s %s tokens = %.1fx B_crit %s at loss %.3f (%s; about %.1fx the "
                        + "tokens of a run at B_crit)", r.label(), Numbers.si(batch), k, Numbers.sig4(cb.at(loss)), loss, from,
                        (1 + k) / 2));
            }
        }
        String law = String.format(Locale.ROOT, "critical batch: B_crit(L) = %s / L^(1/%.3f) tokens, from the noise scale "
                + "of %d runs in %s", Numbers.sci(cb.bStar()), cb.alphaB(), cb.runs(), folder);
        if (far.isEmpty()) {
            out.add(law + String.format(Locale.ROOT, "; no run's batch is more than %.0fx it at its expected loss (%d of %d "
                    + "runs have one: finished, or from approach 3 in fits.json)", Phenomena.FAR_ABOVE_CRITICAL, known, plan.runs().size()));
        } else {
            out.add(law + String.format(Locale.ROOT, "; %d of %d runs train with a batch more than %.0fx B_crit at their "
                    + "expected loss (McCandlish et al. 2018: B = k B_crit needs about (1 + k) / 2 the tokens):",
                    far.size(), plan.runs().size(), Phenomena.FAR_ABOVE_CRITICAL));
            far.forEach(f -> out.add("  " + f));
        }
        return out;
    }

    private static double finalLoss(Path runDir) {
        RunFolder f = new RunFolder(runDir);
        if (!f.hasResult()) {
            return Double.NaN;
        }
        RunResult r = f.result();
        return r.completed() && r.losses().finalValLoss() != null ? r.losses().finalValLoss() : Double.NaN;
    }

    private static FitReport readFit(Path f) {
        try {
            return Files.isRegularFile(f) ? FitsJson.read(f) : null;
        } catch (RuntimeException e) {
            return null; // a plan does not fail for a fit it only consults; fit and report say what is wrong with it
        }
    }
}
