package org.scalinglab.study;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.approach.LrTuning;
import org.scalinglab.fit.input.RunTable;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.law.Law;
import org.scalinglab.fit.law.Laws;
import org.scalinglab.fit.uncertainty.CheckValidation;
import org.scalinglab.fit.uncertainty.ValidationReport;
import org.scalinglab.io.Json;
import org.scalinglab.io.JvmLauncher;
import org.scalinglab.sweep.DesignAgainstTune;
import org.scalinglab.sweep.PlanJson;
import org.scalinglab.sweep.PlanTable;
import org.scalinglab.sweep.Planner;
import org.scalinglab.sweep.RunsTable.RunState;
import org.scalinglab.sweep.RunsTable;
import org.scalinglab.sweep.SweepConfig;
import org.scalinglab.sweep.SweepDesign;
import org.scalinglab.sweep.SweepFolder;
import org.scalinglab.sweep.SweepPlan;
import org.scalinglab.sweep.SweepProgress;
import org.scalinglab.sweep.Sweeper;
import org.scalinglab.text.Numbers;
import org.scalinglab.train.runfolder.RunFolders;

/**
 * A sweep's stages in order, each a sweep of its own under {@code results/<sweep>/}: the learning-rate
 * tuning grid ({@code tune/}, whose rule goes to {@code tuning.json}), the design with that rule
 * ({@code runs/}), and after a fit the check budget beyond the design ({@code check/}), which the fit
 * never reads. Every stage is planned and refused as the design is (epochs, ladder coverage, memory),
 * and resumes from its run folders.
 */
public final class Study {
    public static final String TUNE = RunFolders.TUNE;
    public static final String CHECK = RunFolders.CHECK;

    private final SweepConfig sweep;
    private final Path source;
    private final PrintWriter out;
    private final PrintWriter err;
    private final SweepPlan probePlan;

    public Study(SweepConfig sweep, Path source, PrintWriter out, PrintWriter err) {
        this.sweep = sweep;
        this.source = source;
        this.out = out;
        this.err = err;
        this.probePlan = SweepDesign.plan(sweep); // the design's shapes, which the one probe measures
    }

    public Path folder() {
        return sweep.folder();
    }

    public Path tuningJson() {
        return new SweepFolder(folder()).tuningJson();
    }

    /** The plans as tables, training nothing: tuning, the design (with the rule once tuning.json exists), the check. */
    public void plan(Planner.Probe probe) {
        planned(probe, true);
    }

    /**
     * The plans as one JSON object ({@code plan --json}): schema, the sweep, each stage's runs with their
     * sizes, FLOPs and estimated seconds, and the check budget. The probe's progress goes to this study's
     * {@code out}, so a caller that wants clean JSON on stdout gives it stderr there.
     */
    public Map<String, Object> planJson(Planner.Probe probe) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("schema", PlanJson.SCHEMA);
        j.put("sweep", sweep.name());
        j.put("folder", sweep.folder().toString());
        j.putAll(planned(probe, false));
        return j;
    }

    private Map<String, Object> planned(Planner.Probe probe, boolean print) {
        List<Map<String, Object>> stages = new ArrayList<>();
        Map<String, Object> j = new LinkedHashMap<>();
        if (sweep.tune().enabled()) {
            Planner.Report r = report(SweepDesign.tuning(sweep), probe);
            stages.add(PlanJson.stage(TUNE, r));
            if (print) {
                print(TUNE, r);
            }
            probe = Planner.Probe.CACHED;
        }
        LrTuning.Result rule = sweep.tune().enabled() ? readRule() : null;
        if (sweep.tune().enabled() && rule == null) {
            String pending = "design: learning rates pending the tuning (each run's lr, and so its id, follows from the "
                    + "rule once the tune runs finish); shown with base.train.optimizer.lr";
            j.put("pending", pending);
            if (print) {
                out.println(pending);
            }
        }
        Planner.Report design = report(SweepDesign.plan(sweep, lr(rule)), probe);
        stages.add(PlanJson.stage("design", design));
        if (print) {
            print("design", design);
        }
        j.put("stages", stages);
        if (sweep.check().enabled()) {
            double c = SweepDesign.checkBudget(sweep);
            double nStar = SweepDesign.expectedOptimum(sweep, c);
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("sizes", sweep.check().fixedShapes() ? sweep.check().depths().size() : sweep.check().sizes());
            check.put("compute", c);
            check.put("compute_factor", sweep.check().computeFactor());
            check.put("expected_n_opt", nStar);
            j.put("check", check);
            if (sweep.check().fixedShapes()) {
                // fixed shapes do not wait for the fit: their table (and ids) are known now
                Planner.Report fixed = report(SweepDesign.check(sweep, nStar, lr(rule)), probe);
                stages.add(PlanJson.stage(CHECK, fixed));
                if (print) {
                    print(CHECK, fixed);
                }
            } else {
                if (print) {
                    out.printf(Locale.ROOT, "check: after the fit, %d sizes at C = %s (%s x the largest budget) around "
                            + "the fitted N_opt; the design's rule expects N* = %s there%n", sweep.check().sizes(),
                            Numbers.sci(c), Numbers.plain(sweep.check().computeFactor()), Numbers.si(nStar));
                }
                SweepDesign.check(sweep, nStar, lr(rule)); // refuses now what could not be trained later
            }
        }
        out.flush();
        return j;
    }

    /** Tuning (then its rule), then the design; the exit code of the first stage that did not finish cleanly. */
    public int train(Planner.Probe probe, boolean waitForSlurm) {
        LrTuning.Result rule = null;
        if (sweep.tune().enabled()) {
            int code = stage(TUNE, SweepDesign.tuning(sweep), probe, waitForSlurm);
            probe = Planner.Probe.CACHED;
            if (code != ExitCode.OK.code()) {
                return code;
            }
            rule = fitRule();
            if (rule == null) {
                return ExitCode.OK.code(); // Slurm without --wait: the tune runs are still queued
            }
        }
        int code = stage(null, SweepDesign.plan(sweep, lr(rule)), probe, waitForSlurm);
        if (code == ExitCode.OK.code() && sweep.tune().enabled()) {
            designAgainstTune();
        }
        return code;
    }

    /** Each design run against the best tune run of its size; the far worse ones flag themselves. */
    DesignAgainstTune.Report designAgainstTune() {
        List<RunState> tune = RunsTable.read(new SweepFolder(sweep.stage(TUNE).folder()));
        List<RunState> design = RunsTable.read(new SweepFolder(sweep.folder()));
        if (design.stream().anyMatch(s -> !s.finished())) {
            return null; // Slurm without --wait: compared when the design has finished
        }
        DesignAgainstTune.Report r = DesignAgainstTune.compareStates(tune, design);
        Json.writeAtomically(folder().resolve(DesignAgainstTune.FILE), r);
        out.printf(Locale.ROOT, "design against tune: %d run(s) compared with the best tune run of their size, %d "
                + "flagged -> %s%n", r.compared().size(), r.flagged().size(), folder().resolve(DesignAgainstTune.FILE));
        for (DesignAgainstTune.Comparison c : r.flagged()) {
            out.println("  flagged: " + c.describe());
        }
        out.flush();
        return r;
    }

    /** The check stage: sizes around the fit's N_opt at the check budget, trained with the tuned rule. */
    public int check(FitReport fit, boolean waitForSlurm) {
        double c = SweepDesign.checkBudget(sweep);
        Law law = checkLaw(fit);
        if (sweep.check().approach().equalsIgnoreCase(Laws.RECOMMENDED) && !law.key().equals(fit.recommended())) {
            out.println("check: no law is recommended (" + (fit.ranking() == null ? "the fit was not ranked"
                    : fit.ranking().verdict()) + "); the check centres on " + law.key() + " ("
                    + law.identification().describe() + ")");
        }
        double nOpt = fittedOptimum(fit, c);
        out.printf(Locale.ROOT, "check: %s allocates C = %s to N_opt = %s%n", law.key(), Numbers.sci(c),
                Numbers.si(nOpt));
        SweepPlan plan;
        try {
            plan = SweepDesign.check(sweep, nOpt, lr(sweep.tune().enabled() ? readRule() : null));
        } catch (ScalingLabException e) {
            // the design was fine; it is the fitted optimum that the ladder cannot bracket
            throw new ScalingLabException(ExitCode.FIT, "the check cannot be trained where the fit puts the optimum: "
                    + e.getMessage(), e.hint(), e);
        }
        return stage(CHECK, plan, Planner.Probe.CACHED, waitForSlurm);
    }

    /** The analysis of this study's results, in the conventions its runs were trained in. */
    public Analysis analysis() {
        return Analysis.of(folder(), SweepDesign.resolveBase(sweep).train());
    }

    /**
     * Fit, validate, the check stage when the sweep has one, the report, and the summary of what the study
     * found ({@link Analysis}); the analysis's exit code.
     */
    public int analyse() {
        return analysis().run(this, out, err);
    }

    /** Whether the sweep has a check stage. */
    public boolean checks() {
        return sweep.check().enabled();
    }

    /** The check runs against the fit's predictions (the design's runs give Kaplan its residuals). */
    public CheckValidation.Report evaluateCheck(FitReport fit, RunTable design, RunTable check) {
        double c = SweepDesign.checkBudget(sweep);
        return CheckValidation.evaluate(fit, design, check, c, sweep.check().computeFactor(), checkLaw(fit).key(),
                fittedOptimum(fit, c));
    }

    /** The check's comparison, written to check.json and into validation.json when the study has one. */
    public void recordCheck(CheckValidation.Report report) {
        SweepFolder dir = new SweepFolder(folder());
        Json.writeAtomically(dir.checkJson(), report);
        out.println("wrote " + dir.checkJson());
        if (Files.isRegularFile(dir.validationJson())) {
            ValidationReport v = Json.read(dir.validationJson(), ValidationReport.class);
            Json.writeAtomically(dir.validationJson(), v.withCheck(report));
            out.println("wrote the check into " + dir.validationJson());
        }
    }

    /** The check stage's folder (its runs and runs.csv). */
    public Path checkFolder() {
        return sweep.stage(CHECK).folder();
    }

    /** N_opt of the check's law at budget c, under the fit's own C(N, D). */
    double fittedOptimum(FitReport fit, double c) {
        Law law = checkLaw(fit);
        return interior(law.optimum(c)[0], law.about().label(), c);
    }

    /**
     * The law whose allocation centres the check: {@code check.approach} by name, or by default the fit's
     * recommended law. A fit that recommends none still gets a check (the check is how one learns which law
     * to trust): its best-ranked law with an L(N, D), else approach 3, else Kaplan's ({@link #check} says so).
     */
    Law checkLaw(FitReport fit) {
        String asked = sweep.check().approach();
        if (!asked.equalsIgnoreCase(Laws.RECOMMENDED)) {
            return Laws.find(fit, asked).filter(Law::hasJoint).orElseThrow(() -> new ScalingLabException(ExitCode.FIT,
                    "the check centres on " + Laws.key(asked) + ", which the fit could not make", "see fits.json's "
                            + "not_fitted, or set check.approach: " + Laws.RECOMMENDED));
        }
        if (fit.recommended() != null) {
            return Laws.find(fit, fit.recommended()).orElseThrow();
        }
        List<String> order = new ArrayList<>();
        if (fit.ranking() != null) {
            fit.ranking().laws().stream().filter(e -> e.rank() != null).forEach(e -> order.add(e.law()));
        }
        order.addAll(List.of(Approach.PARAMETRIC.key(), Approach.KAPLAN.key()));
        return order.stream().map(k -> Laws.find(fit, k).filter(Law::hasJoint)).flatMap(java.util.Optional::stream)
                .findFirst().orElseThrow(() -> new ScalingLabException(ExitCode.FIT, "the check needs a law with an "
                        + "L(N, D) to allocate under, and the fit has none", "see fits.json's not_fitted"));
    }

    /** A law whose optimum sits at the end of the search (one parameter, or one token) has none to check. */
    private static double interior(double nOpt, String approach, double c) {
        if (!(nOpt > 1.01)) {
            throw new ScalingLabException(ExitCode.FIT, String.format(Locale.ROOT, "%s puts the optimum of C = %s at "
                    + "N = %s, the end of the search: the fitted law has no interior optimum to check", approach,
                    Numbers.sci(c), Numbers.si(nOpt)), "see the fit's exponents and intervals; the design may be too small");
        }
        return nOpt;
    }

    private int stage(String name, SweepPlan plan, Planner.Probe probe, boolean waitForSlurm) {
        SweepConfig config = name == null ? sweep : sweep.stage(name);
        Sweeper sweeper = new Sweeper(config, source, out, err);
        Planner.Report report = report(plan, probe);
        print(name == null ? "design" : name, report);
        out.flush();
        return sweeper.sweep(report, waitForSlurm, SweepProgress.create(out));
    }

    private Planner.Report report(SweepPlan plan, Planner.Probe probe) {
        return Planner.plan(plan, new Planner.ProbeSource(new SweepFolder(sweep.folder()), probePlan.runs()), probe,
                JvmLauncher.current(sweep.executor().jvmOptions()), out);
    }

    private void print(String stage, Planner.Report report) {
        out.println("-- " + stage);
        out.print(PlanTable.render(report));
    }

    /** Fits the rule to the tune runs and writes tuning.json; null while some are unfinished (Slurm). */
    LrTuning.Result fitRule() {
        SweepFolder tune = new SweepFolder(sweep.stage(TUNE).folder());
        List<LrTuning.Point> points = new ArrayList<>();
        for (RunState s : RunsTable.read(tune)) {
            if (!s.finished()) {
                return null;
            }
            Double finalLoss = s.result().losses().finalValLoss();
            double loss = s.result().completed() && finalLoss != null ? finalLoss : Double.POSITIVE_INFINITY;
            points.add(new LrTuning.Point(s.id(), s.plan().paramsUsed(), s.config().train().optimizer().lr(),
                    s.config().train().flops(), loss));
        }
        String params = probePlan.base().train().paramsConvention().option();
        // the rule must hold over every size the design trains, not only the tuned ones
        java.util.DoubleSummaryStatistics n = java.util.stream.DoubleStream.concat(
                probePlan.runs().stream().mapToDouble(r -> r.plan().paramsUsed()),
                points.stream().mapToDouble(LrTuning.Point::params)).summaryStatistics();
        LrTuning.Result r = LrTuning.fit(points, params, 0.95, Math.log(n.getMax() / n.getMin()));
        Json.writeAtomically(tuningJson(), r);
        out.println("tuning: " + r.describe() + " -> " + tuningJson());
        for (LrTuning.Size s : r.sizes()) {
            out.printf(Locale.ROOT, "  C %s, N %s: best lr %.3g (loss %.4f)%s%n", Numbers.sci(s.budget()),
                    Numbers.si(s.params()), s.lrOpt(), s.lossOpt(), s.reason() == null ? "" : " (" + s.reason() + ")");
        }
        out.flush();
        return r;
    }

    /** tuning.json when it belongs to the current tune plan (the same runs), else null. */
    LrTuning.Result readRule() {
        if (!Files.isRegularFile(tuningJson())) {
            return null;
        }
        LrTuning.Result r = Json.read(tuningJson(), LrTuning.Result.class);
        List<String> planned = SweepDesign.tuning(sweep).ids().stream().sorted().toList();
        List<String> fitted = r.sizes().stream().flatMap(s -> s.points().stream()).map(LrTuning.Point::id).sorted()
                .toList();
        return planned.equals(fitted) ? r : null;
    }

    private static DoubleUnaryOperator lr(LrTuning.Result rule) {
        return rule == null ? null : n -> rule.rule().lr(n);
    }
}
