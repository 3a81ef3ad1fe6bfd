package org.scalinglab.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.scalinglab.config.TrainConfig;
import org.scalinglab.io.Units;
import org.scalinglab.train.RunPlan;

/** The plan as text: one line per run (id, shape, N three ways, D, C two ways, D/N, time), then totals. */
public final class PlanTable {
    private PlanTable() {}

    public static String render(Planner.Report report) {
        SweepPlan plan = report.plan();
        SweepConfig sweep = plan.sweep();
        TrainConfig t = plan.base().train();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "sweep %s: %s design, %d runs -> %s%n", sweep.name(),
                sweep.design().kind().name().toLowerCase(Locale.ROOT), plan.runs().size(), sweep.folder()));
        sb.append(String.format(Locale.ROOT, "target: %s; data %s, batch %d x %d tokens, %s, budgets and C in the "
                        + "%s convention, D/N with N %s%n", report.target(),
                plan.base().data().source().name().toLowerCase(Locale.ROOT), t.sequencesPerStep(),
                plan.base().model().context(), t.precision().name().toLowerCase(Locale.ROOT),
                t.flopsConvention().name().toLowerCase(Locale.ROOT),
                t.paramsConvention().name().toLowerCase(Locale.ROOT).replace('_', '-')));
        for (String n : report.notes()) {
            sb.append(n).append('\n');
        }
        // C in the sweep's own convention when it is neither of the two always shown
        boolean a4 = t.flopsConvention() == TrainConfig.FlopsConvention.CHINCHILLA_A4;
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"id", "run", "N total", "N non-emb", "N +head", "D", "C kaplan", "C chinch", "C A4",
            "D/N", "epochs", "lr", "steps", "branch of", "est. time"});
        double tokens = 0;
        double kaplan = 0;
        double chinchilla = 0;
        double chinchillaA4 = 0;
        double seconds = 0;
        for (PlannedRun r : plan.runs()) {
            RunPlan p = r.plan();
            Double s = report.seconds().get(r.id());
            rows.add(new String[] {r.id(), r.label(), Units.si(p.params().total()), Units.si(p.params().nonEmbedding()),
                Units.si(p.params().nonEmbeddingWithHead()), Units.si(p.tokens()), Units.sci(p.flopsKaplan()),
                Units.sci(p.flopsChinchilla()), Units.sci(p.flopsChinchillaA4()),
                String.format(Locale.ROOT, "%.1f", p.tokensPerParam()),
                String.format(Locale.ROOT, "%.2f", r.epochs()), Units.shortSci(r.config().train().optimizer().lr()),
                Long.toString(p.steps()), r.branch() == null ? "" : r.branch().trunk() + "@" + r.branch().step(),
                s == null ? "-" : Units.duration(s)});
            tokens += p.tokens();
            kaplan += p.flopsKaplan();
            chinchilla += p.flopsChinchilla();
            chinchillaA4 += p.flopsChinchillaA4();
            seconds += s == null ? 0 : s;
        }
        int[] w = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        boolean branches = plan.runs().stream().anyMatch(r -> r.branch() != null);
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                if ((i == 13 && !branches) || (i == 8 && !a4)) {
                    continue;
                }
                boolean left = i <= 1 || i == 13;
                String cell = left ? String.format("%-" + w[i] + "s", row[i]) : String.format("%" + w[i] + "s", row[i]);
                line.append(i == 0 ? "" : "  ").append(cell);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        sb.append(String.format(Locale.ROOT, "total: %d runs, D = %s tokens, C = %s (kaplan) / %s (chinchilla)%s FLOPs; "
                + "data: %s training tokens, at most %.2f epochs per run", plan.runs().size(), Units.si(tokens),
                Units.sci(kaplan), Units.sci(chinchilla), a4 ? " / " + Units.sci(chinchillaA4) + " (chinchilla_a4)" : "",
                Units.si(plan.trainTokens()), plan.runs().stream().mapToDouble(PlannedRun::epochs).max().orElse(0)));
        if (!report.seconds().isEmpty()) {
            sb.append(String.format(Locale.ROOT, ", %s of run time, about %s wall", Units.duration(seconds),
                    Units.duration(report.wallSeconds())));
        }
        sb.append('\n');
        return sb.toString();
    }
}
