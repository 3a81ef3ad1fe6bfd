package org.scalinglab.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scalinglab.train.RunPlan;

/** {@code plan --json}: each stage's runs as the table shows them, as numbers. */
public final class PlanJson {
    public static final String SCHEMA = "scalinglab.plan/1";

    private PlanJson() {}

    public static Map<String, Object> stage(String name, Planner.Report report) {
        SweepPlan plan = report.plan();
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("stage", name);
        j.put("executor", report.executor().name().toLowerCase(java.util.Locale.ROOT));
        j.put("target", report.target());
        j.put("runs_per_device", report.runsPerDevice());
        j.put("flop_convention", plan.base().train().flopsConvention().key());
        j.put("param_convention", plan.base().train().paramsConvention().option());
        List<Map<String, Object>> runs = new ArrayList<>();
        double tokens = 0;
        double flops = 0;
        for (PlannedRun r : plan.runs()) {
            RunPlan p = r.plan();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("label", r.label());
            m.put("budget", r.budget());
            m.put("layers", p.shape().layers());
            m.put("d_model", p.shape().dModel());
            m.put("heads", p.shape().heads());
            m.put("context", p.shape().context());
            m.put("params_total", p.params().total());
            m.put("params_non_embedding", p.params().nonEmbedding());
            m.put("params_non_embedding_with_head", p.params().nonEmbeddingWithHead());
            m.put("tokens", p.tokens());
            m.put("steps", p.steps());
            m.put("flops_kaplan", p.flopsKaplan());
            m.put("flops_chinchilla", p.flopsChinchilla());
            m.put("tokens_per_param", p.tokensPerParam());
            m.put("epochs", r.epochs());
            m.put("lr", r.config().train().optimizer().lr());
            m.put("branch_of", r.branch() == null ? null : r.branch().trunk());
            m.put("estimated_seconds", report.seconds().get(r.id()));
            runs.add(m);
            tokens += p.tokens();
            flops += p.flopsChinchilla();
        }
        j.put("runs", runs);
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("runs", runs.size());
        totals.put("tokens", tokens);
        totals.put("flops_chinchilla", flops);
        totals.put("estimated_wall_seconds", report.wallSeconds());
        j.put("totals", totals);
        j.put("notes", report.notes());
        return j;
    }
}
