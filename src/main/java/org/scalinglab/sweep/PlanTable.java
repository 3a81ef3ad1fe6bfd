package org.scalinglab.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.TrainConfig;
import org.scalinglab.text.Numbers;
import org.scalinglab.text.TextTable;
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
                t.flopsConvention().key(), t.paramsConvention().option()));
        for (String n : report.notes()) {
            sb.append(n).append('\n');
        }
        // C in the sweep's own convention when it is neither of the two always shown
        boolean a4 = t.flopsConvention() == FlopConvention.CHINCHILLA_A4;
        boolean branches = plan.runs().stream().anyMatch(r -> r.branch() != null);
        List<String> head = new ArrayList<>(List.of("id", "run", "N total", "N non-emb", "N +head", "D", "C kaplan",
                "C chinch"));
        if (a4) {
            head.add("C A4");
        }
        head.addAll(List.of("D/N", "epochs", "lr", "steps"));
        if (branches) {
            head.add("branch of");
        }
        head.add("est. time");
        // id, run and branch of read left; every other column, numbers and times, right
        int branchOf = head.indexOf("branch of");
        TextTable table = new TextTable("", head.toArray(String[]::new)).left(0, 1)
                .right(IntStream.range(2, head.size()).filter(i -> i != branchOf).toArray());
        if (branches) {
            table.left(branchOf);
        }
        double tokens = 0;
        double kaplan = 0;
        double chinchilla = 0;
        double chinchillaA4 = 0;
        double seconds = 0;
        for (PlannedRun r : plan.runs()) {
            RunPlan p = r.plan();
            Double s = report.seconds().get(r.id());
            List<String> row = new ArrayList<>(List.of(r.id(), r.label(), Numbers.si(p.params().total()),
                    Numbers.si(p.params().nonEmbedding()), Numbers.si(p.params().nonEmbeddingWithHead()),
                    Numbers.si(p.tokens()), Numbers.sci(p.flopsKaplan()), Numbers.sci(p.flopsChinchilla())));
            if (a4) {
                row.add(Numbers.sci(p.flopsChinchillaA4()));
            }
            row.addAll(List.of(Numbers.fixed(p.tokensPerParam(), 1),
                    Numbers.fixed(r.epochs(), 2),
                    Numbers.shortSci(r.config().train().optimizer().lr()), Long.toString(p.steps())));
            if (branches) {
                row.add(r.branch() == null ? "" : r.branch().trunk() + "@" + r.branch().step());
            }
            row.add(s == null ? "-" : Numbers.duration(s));
            table.row(row.toArray());
            tokens += p.tokens();
            kaplan += p.flopsKaplan();
            chinchilla += p.flopsChinchilla();
            chinchillaA4 += p.flopsChinchillaA4();
            seconds += s == null ? 0 : s;
        }
        sb.append(table);
        sb.append(String.format(Locale.ROOT, "total: %d runs, D = %s tokens, C = %s (kaplan) / %s (chinchilla)%s FLOPs; "
                + "data: %s training tokens, at most %.2f epochs per run", plan.runs().size(), Numbers.si(tokens),
                Numbers.sci(kaplan), Numbers.sci(chinchilla), a4 ? " / " + Numbers.sci(chinchillaA4) + " (chinchilla_a4)" : "",
                Numbers.si(plan.trainTokens()), plan.runs().stream().mapToDouble(PlannedRun::epochs).max().orElse(0)));
        if (!report.seconds().isEmpty()) {
            sb.append(String.format(Locale.ROOT, ", %s of run time, about %s wall", Numbers.duration(seconds),
                    Numbers.duration(report.wallSeconds())));
        }
        sb.append('\n');
        return sb.toString();
    }
}
