package org.scalinglab.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.engine.PeakFlops;
import org.scalinglab.fit.input.InputProvenance;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.output.FitsJson;
import org.scalinglab.forecast.Forecast;
import org.scalinglab.forecast.ForecastText;
import org.scalinglab.forecast.Forecaster;
import org.scalinglab.forecast.Hardware;
import org.scalinglab.forecast.LawSource;
import org.scalinglab.forecast.MeasuredMfu;
import org.scalinglab.forecast.MemoryPlan;
import org.scalinglab.forecast.Repetition;
import org.scalinglab.forecast.ShapeRule;
import org.scalinglab.forecast.Target;
import org.scalinglab.forecast.TrainingSettings;
import org.scalinglab.io.Json;
import org.scalinglab.model.ShapeFamily;
import org.scalinglab.text.Numbers;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scalinglab forecast}: a training plan from a fit or a published law. */
@Command(name = "forecast", sortOptions = false, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
    "Plan a large training run (size, tokens, loss, cost, shape) from a scaling law.",
    "Plan a large training run from a scaling law: model size, tokens, loss (with its bootstrap "
            + "interval), FLOPs, GPU-hours, days, cost, memory per GPU and a suggested shape. One target: --compute, "
            + "--gpus with --days, --target-loss, --tokens, or --params with --tokens, --compute, --days or "
            + "--target-loss. Prints an aligned table, or one JSON object with --json."})
final class ForecastCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    /** Where the law comes from: a fit, or a published law; exactly one. */
    static final class LawChoice {
        @Option(names = "--fit", paramLabel = "<fits.json>", required = true, description = "A fit written by "
                + "'scalinglab fit --out' (its sweep, for the shapes, is found relative to this file).")
        Path fit;

        @Option(names = "--law", paramLabel = "<epoch-2024|hoffmann-2022>", required = true, description = "A published "
                + "law instead of a fit (fitted under C = 6ND, N total parameters). hoffmann-2022's constants are "
                + "known to be inconsistent (Besiroglu et al. 2024): prefer epoch-2024.")
        String law;
    }

    @ArgGroup(exclusive = true, multiplicity = "1", heading = "%nThe law (one of):%n")
    LawChoice lawChoice = new LawChoice();

    /** Where the MFU comes from: given, measured, or (neither) assumed. */
    static final class MfuChoice {
        @Option(names = "--mfu", paramLabel = "<m>", required = true, description = "Model FLOP utilisation in (0, 1] "
                + "(default " + Hardware.DEFAULT_MFU + ", assumed).")
        Double mfu;

        @Option(names = "--mfu-from", paramLabel = "<bench.json|results-dir>", required = true, description = "Use the "
                + "MFU this machine measured: a bench.json, or a results folder's runs.")
        Path mfuFrom;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1", heading = "%nThe MFU (at most one):%n")
    MfuChoice mfuChoice = new MfuChoice();

    Path fit;
    String law;
    Double mfu;
    Path mfuFrom;

    @Option(names = "--approach", paramLabel = "<recommended|3|kaplan|2|1>", description = "With --fit: which law "
            + "(default: the fit's recommended law; without one, the first of 3, kaplan, 2, 1 in the file, and the "
            + "forecast says it is not a recommendation).")
    String approach;

    @Option(names = "--compute", paramLabel = "<C>", description = "Training FLOPs, counted as the law counts them "
            + "(a fit's convention and shapes; 6ND for a published law).")
    Double compute;

    @Option(names = "--gpus", paramLabel = "<k>", description = "GPUs: with --days a target; always what wall days "
            + "and memory per GPU are for (default 1).")
    Integer gpus;

    @Option(names = "--days", paramLabel = "<t>", description = "Days on the --gpus: the plan fills them.")
    Double days;

    @Option(names = "--target-loss", paramLabel = "<L>", description = "The loss to reach, at the least compute.")
    Double targetLoss;

    @Option(names = "--params", paramLabel = "<N>", description = "A fixed model size, with --tokens, --compute, "
            + "--gpus/--days or --target-loss; compared with the compute-optimal model.")
    Double params;

    @Option(names = "--tokens", paramLabel = "<D>", description = "Training tokens: with --params, or alone (the "
            + "compute-optimal model for D tokens).")
    Double tokens;

    @Option(names = "--inference-tokens", paramLabel = "<I>", description = "Tokens the model will serve: minimise "
            + "training plus inference FLOPs (6ND + 2NI) at the same loss (Sardana et al. 2023).")
    Double inferenceTokens;

    @Option(names = "--unique-tokens", paramLabel = "<U>", description = "Unique tokens available: repeated epochs "
            + "are worth D' = U + U R* (1 - exp(-R/R*)) (Muennighoff et al. 2023).")
    Double uniqueTokens;

    @Option(names = "--r-star", paramLabel = "<R*>", description = "Repetitions at which repeated data's value decays "
            + "by 1/e (default: ${DEFAULT-VALUE}, the paper's fit).", defaultValue = "" + Repetition.R_STAR)
    double rStar;

    @Option(names = "--gpu", paramLabel = "<name>", description = "GPU kind: ${COMPLETION-CANDIDATES} (default "
            + Hardware.DEFAULT_GPU + ", or the GPU --mfu-from measured).", completionCandidates = GpuNames.class)
    String gpu;

    @Option(names = "--precision", paramLabel = "<fp32|tf32|fp16|bf16|fp8>", description = "Number format of the "
            + "peak (default bf16, or what --mfu-from measured).")
    String precision;

    @Option(names = "--goodput", paramLabel = "<g>", defaultValue = "1", description = "Fraction of the GPUs' wall "
            + "time that trains, in (0, 1]: restarts, checkpoints, evaluation and queueing take the rest. Llama 3 8B's "
            + "reported 1.3M H100-hours are about twice what MFU 0.4 alone gives, a goodput near 0.5 (default: "
            + "${DEFAULT-VALUE}, none lost).")
    double goodput;

    @Option(names = "--price", paramLabel = "<per GPU-hour>", description = "Price of one GPU-hour in --currency, "
            + "for the cost.")
    Double price;

    @Option(names = "--currency", paramLabel = "<code>", defaultValue = Hardware.DEFAULT_CURRENCY,
            description = "Currency of --price, printed with the cost (default: ${DEFAULT-VALUE}).")
    String currency;

    @Option(names = "--vocab", paramLabel = "<V>", description = "Vocabulary of the suggested shape (default: the "
            + "sweep's, or " + ShapeRule.STANDARD_VOCAB + " for the standard shape).")
    Integer vocab;

    @Option(names = "--micro-batch", paramLabel = "<b>", defaultValue = "1",
            description = "Sequences per micro-batch, for the activation memory (default: ${DEFAULT-VALUE}).")
    int microBatch;

    @Option(names = "--recompute", paramLabel = "<none|selective|full>", defaultValue = "selective",
            description = "Activation recomputation, for the activation memory: none keeps the attention scores, "
                + "selective does not (as fused attention), full keeps only each layer's input (default: "
                + "${DEFAULT-VALUE}).")
    String recompute;

    @Option(names = "--context", paramLabel = "<T>", description = "Context of the suggested shape (default: the "
            + "sweep's, or " + ShapeRule.STANDARD_CONTEXT + " for the standard shape).")
    Integer context;

    @Option(names = "--sweep", paramLabel = "<results-dir|sweep.json>", description = "The sweep whose ladder rule "
            + "suggests the shape (default: the fit's results folder, when it is a sweep; else a standard aspect "
            + "ratio).")
    Path sweep;

    @Option(names = "--json", description = "Print the forecast as one JSON object on stdout.")
    boolean json;

    /** The GPU table's names, for the help. */
    static final class GpuNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return PeakFlops.table().stream().map(PeakFlops.Gpu::key).iterator();
        }
    }

    @Override
    public Integer call() {
        fit = lawChoice.fit;
        law = lawChoice.law;
        mfu = mfuChoice == null ? null : mfuChoice.mfu;
        mfuFrom = mfuChoice == null ? null : mfuChoice.mfuFrom;
        checkNumbers();
        LawSource source = law();
        MeasuredMfu measured = mfuFrom == null ? null : MeasuredMfu.read(mfuFrom, precision);
        Hardware hw = hardware(measured);
        List<String> shapeNotes = new ArrayList<>();
        ShapeRule shapes = shapes(source, shapeNotes);
        Forecaster f = new Forecaster(source, shapes, hw, shapeNotes);
        Target target = target(hw);
        Map<String, Object> inputs = inputs(source, hw);
        try {
            Forecast out = f.forecast(new Forecaster.Request(target, inferenceTokens,
                    uniqueTokens == null ? null : new Repetition(uniqueTokens, rStar), microBatch,
                    MemoryPlan.Recompute.parse(recompute), inputs));
            out = out.withTraining(TrainingSettings.suggest(out.n(), out.d(), out.compute(), out.loss(),
                    out.shape().context(), sweepDir));
            spec.commandLine().getOut().print(json ? Json.write(out) : ForecastText.render(out));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        return ExitCode.OK.code();
    }

    private void checkNumbers() {
        positive("--compute", compute);
        positive("--days", days);
        positive("--target-loss", targetLoss);
        positive("--params", params);
        positive("--tokens", tokens);
        positive("--unique-tokens", uniqueTokens);
        positive("--r-star", rStar);
        positive("--price", price);
        if (inferenceTokens != null && !(inferenceTokens >= 0 && Double.isFinite(inferenceTokens))) {
            throw usage("--inference-tokens must be >= 0, got " + inferenceTokens);
        }
        if (gpus != null && gpus < 1) {
            throw usage("--gpus must be at least 1, got " + gpus);
        }
        if (mfu != null && !(mfu > 0 && mfu <= 1)) {
            throw usage("--mfu must be in (0, 1], got " + mfu + " (a fraction: 0.4 for 40 %)");
        }
        if (microBatch < 1) {
            throw usage("--micro-batch must be at least 1, got " + microBatch);
        }
        if (context != null && context < 1) {
            throw usage("--context must be at least 1, got " + context);
        }
        if (!(goodput > 0 && goodput <= 1)) {
            throw usage("--goodput must be in (0, 1], got " + goodput + " (a fraction: 0.5 when half the GPU-hours train)");
        }
        if (vocab != null && vocab < 2) {
            throw usage("--vocab must be at least 2, got " + vocab);
        }
        if (currency.isBlank()) {
            throw usage("--currency must not be empty");
        }
    }

    private static void positive(String name, Double v) {
        if (v != null && !(v > 0 && Double.isFinite(v))) {
            throw usage(name + " must be a positive number, got " + Numbers.sig4(v));
        }
    }

    private LawSource law() {
        if ((fit == null) == (law == null)) {
            throw usage(fit == null ? "give a law: --fit fits.json or --law hoffmann-2022|epoch-2024"
                    : "give --fit or --law, not both");
        }
        try {
            if (law != null) {
                if (approach != null) {
                    throw usage("--approach chooses an approach of a --fit; a published law has one");
                }
                return LawSource.published(law);
            }
            return LawSource.fromFit(FitsJson.read(fit), approach);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    private Hardware hardware(MeasuredMfu measured) {
        String name = gpu != null ? gpu : measured != null && measured.gpuName() != null ? measured.gpuName()
                : Hardware.DEFAULT_GPU;
        PeakFlops.Gpu g = PeakFlops.find(name).orElseThrow(() -> usage((gpu != null ? "unknown GPU '" + gpu + "'"
                : "the GPU that measured the MFU, '" + name + "', is not in the table: give --gpu")
                + " (known: " + PeakFlops.keys() + ")"));
        String prec = precision != null ? precision : measured != null && measured.precision() != null
                ? measured.precision() : "bf16";
        try {
            PeakFlops.Format format = PeakFlops.Format.parse(prec);
            double m = mfu != null ? mfu : measured != null ? measured.mfu() : Hardware.DEFAULT_MFU;
            String src = mfu != null ? "given" : measured != null ? "measured: " + measured.source()
                    : "assumed: large dense runs report 38-46 %; set --mfu or --mfu-from";
            return new Hardware(g, format, m, src, gpus == null ? 1 : gpus, price, currency, goodput);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** The sweep folder the shapes and the training settings come from; null for none. */
    private Path sweepDir;

    private ShapeRule shapes(LawSource source, List<String> notes) {
        ParamConvention conv;
        try {
            conv = ParamConvention.parse(source.paramConvention());
        } catch (IllegalArgumentException e) {
            conv = ParamConvention.TOTAL;
        }
        Optional<ShapeFamily> family = Optional.empty();
        if (sweep != null) {
            if (!Files.exists(sweep)) {
                throw ScalingLabException.data("no such sweep folder or sweep.json: " + sweep, null);
            }
            family = ShapeRule.readFamily(sweep);
            if (family.isEmpty()) {
                throw ScalingLabException.data(sweep + " records no shape family (not a sweep, or written before "
                        + "sweep.json had shape_family)", "leave out --sweep for a standard aspect ratio");
            }
            sweepDir = Files.isDirectory(sweep) ? sweep : sweep.toAbsolutePath().getParent();
        } else if (fit != null) {
            FitReport r = FitsJson.read(fit);
            InputProvenance in = r.inputs();
            if (in != null && InputProvenance.KIND_RESULTS_DIR.equals(in.kind()) && in.path() != null) {
                sweepDir = fitSweep(fit, Path.of(in.path()));
                if (sweepDir != null) {
                    family = ShapeRule.readFamily(sweepDir);
                }
                if (family.isEmpty()) {
                    notes.add("the fit's sweep (" + in.path() + ", as 'fit' was given it) was not found beside " + fit
                            + " nor from here" + (sweepDir == null ? "" : ", or records no shape family")
                            + ": the suggested shape falls back to a standard aspect ratio (give --sweep)");
                }
            } else if (in != null) {
                notes.add("the fit was made from a " + in.kind() + ", which has no shapes: the suggested shape is a "
                        + "standard aspect ratio (give --sweep for a sweep's)");
            }
        }
        ParamConvention c = conv;
        ShapeRule rule = family.map(fam -> ShapeRule.of(fam, context, c)).orElseGet(() -> ShapeRule.standard(context, c));
        return vocab == null ? rule : rule.withVocab(vocab);
    }

    /**
     * The results folder a fits.json was fitted on. fits.json records the path as 'fit' was given it,
     * relative to where 'fit' ran; so it is looked for as given (absolute, or from here), relative to
     * fits.json's folder, and as fits.json's own folder when that is a sweep of the same name (where
     * 'run' writes it). Null when none is a folder.
     */
    static Path fitSweep(Path fitsJson, Path recorded) {
        Path fitDir = fitsJson.toAbsolutePath().normalize().getParent();
        boolean fitInSweep = fitDir != null && Files.isRegularFile(fitDir.resolve("sweep.json"));
        List<Path> candidates = new ArrayList<>();
        if (fitInSweep && recorded.normalize().getFileName() != null
                && recorded.normalize().getFileName().equals(fitDir.getFileName())) {
            candidates.add(fitDir); // where 'run' writes it: results/<sweep>/fits.json
        }
        if (recorded.isAbsolute()) {
            candidates.add(recorded);
        } else if (fitDir != null) {
            candidates.add(fitDir.resolve(recorded).normalize()); // 'fit' ran in fits.json's folder
        }
        if (fitInSweep) {
            candidates.add(fitDir); // a study folder copied or renamed
        }
        candidates.add(recorded); // 'fit' ran here
        return candidates.stream().filter(Files::isDirectory).findFirst().orElse(null);
    }

    private Target target(Hardware hw) {
        if (days != null && gpus == null) {
            throw usage("--days needs --gpus (how many GPUs for that long)");
        }
        Double hardwareFlops = days == null ? null : hw.flopsIn(days);
        String gpuDays = days == null ? null : String.format(Locale.ROOT, "%d x %s for %s days (%s hardware FLOPs at "
                + "MFU %.3f)", hw.gpus(), hw.gpu(), Numbers.sig4(days), Numbers.sig4(hardwareFlops), hw.mfu());
        if (params != null) {
            int given = count(tokens, compute, days, targetLoss);
            if (given != 1) {
                throw usage("--params needs exactly one of --tokens, --compute, --gpus with --days, or --target-loss"
                        + (given > 1 ? " (got " + given + ")" : ""));
            }
            String what = tokens != null ? "D = " + Numbers.sig4(tokens) : compute != null ? "C = "
                    + Numbers.sig4(compute) : days != null ? gpuDays : "target loss " + targetLoss;
            return Target.model(params, tokens, compute, hardwareFlops, targetLoss, what);
        }
        int given = count(compute, days, targetLoss, tokens);
        if (given != 1) {
            throw usage("give one target: --compute, --gpus with --days, --target-loss, --tokens, or --params with one "
                    + "of those" + (given > 1 ? " (got " + given + ")" : ""));
        }
        if (compute != null) {
            return Target.compute(compute);
        }
        if (targetLoss != null) {
            return Target.loss(targetLoss);
        }
        if (tokens != null) {
            return Target.tokens(tokens);
        }
        return Target.hardware(hardwareFlops, gpuDays);
    }

    private static int count(Object... v) {
        int n = 0;
        for (Object o : v) {
            n += o == null ? 0 : 1;
        }
        return n;
    }

    private Map<String, Object> inputs(LawSource source, Hardware hw) {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "fit", fit == null ? null : fit.toString());
        put(m, "law", law);
        put(m, "approach", fit == null ? null : source.name());
        put(m, "compute", compute);
        put(m, "gpus", hw.gpus());
        put(m, "days", days);
        put(m, "target_loss", targetLoss);
        put(m, "params", params);
        put(m, "tokens", tokens);
        put(m, "inference_tokens", inferenceTokens);
        put(m, "unique_tokens", uniqueTokens);
        put(m, "r_star", uniqueTokens == null ? null : rStar);
        put(m, "gpu", hw.gpu());
        put(m, "precision", hw.precision());
        put(m, "mfu", hw.mfu());
        put(m, "mfu_from", mfuFrom == null ? null : mfuFrom.toString());
        put(m, "goodput", goodput);
        put(m, "price", price);
        put(m, "currency", price == null ? null : currency);
        put(m, "vocab", vocab);
        put(m, "micro_batch", microBatch);
        put(m, "recompute", recompute);
        put(m, "context", context);
        put(m, "sweep", sweep == null ? null : sweep.toString());
        return m;
    }

    private static void put(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    private static ScalingLabException usage(String message) {
        return new ScalingLabException(ExitCode.USAGE, message, "see 'scalinglab forecast --help'");
    }
}
