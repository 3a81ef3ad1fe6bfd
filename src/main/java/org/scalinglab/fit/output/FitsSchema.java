package org.scalinglab.fit.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoublePredicate;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.fit.law.Ranking;

/**
 * What a fits.json must hold before {@code predict} and {@code report} trust it, checked on the JSON
 * tree (so a missing key is not silently 0): the schema version, and for each approach present the
 * fields they read, finite and in the physical range (positive exponents, positive constants,
 * bootstrap samples of the length the bootstrap says). The first problem is one line naming the field
 * ({@code approach3.alpha is missing}), exit code 4. Non-finite numbers are written as null, so only
 * fields that may legitimately be NaN (an edge budget's minimum, a Kaplan law not fitted) accept null.
 *
 * <p>To check a new field, add a rule to its section below: {@code .require("name", rule)} or
 * {@code .optional("name", rule)}; rules are {@link #positive}, {@link #number}, {@link #text},
 * {@link #arrayOf}, nested {@link #object()}s, or any {@link Rule}.
 */
public final class FitsSchema {
    /** The versions this build reads. */
    public static final Set<String> SUPPORTED = Set.of(FitReport.SCHEMA);

    private static final List<String> APPROACHES = Approach.SECTIONS.stream().map(Approach::key).toList();

    private FitsSchema() {}

    /** A check of one value; {@code path} names it in the error, e.g. {@code approach2.budgets[3].C}. */
    @FunctionalInterface
    public interface Rule {
        void check(JsonNode value, String path);
    }

    /** A JSON object's fields, each required or optional; fields not listed are left alone. */
    public static final class ObjectRule implements Rule {
        private record Field(String name, boolean required, Rule rule) {}

        private final List<Field> fields = new ArrayList<>();
        private final List<Rule> whole = new ArrayList<>();

        /** Present and not null. */
        public ObjectRule require(String name, Rule rule) {
            fields.add(new Field(name, true, rule));
            return this;
        }

        /** Checked when present and not null. */
        public ObjectRule optional(String name, Rule rule) {
            fields.add(new Field(name, false, rule));
            return this;
        }

        /** A check of the whole object (relations between fields). */
        public ObjectRule and(Rule rule) {
            whole.add(rule);
            return this;
        }

        @Override
        public void check(JsonNode value, String path) {
            if (!value.isObject()) {
                throw bad(path, "must be a JSON object");
            }
            for (Field f : fields) {
                JsonNode v = value.get(f.name());
                String p = path.isEmpty() ? f.name() : path + "." + f.name();
                if (v == null || v.isNull()) {
                    if (f.required()) {
                        throw bad(p, v == null ? "is missing" : "is null");
                    }
                    continue;
                }
                f.rule().check(v, p);
            }
            whole.forEach(r -> r.check(value, path));
        }
    }

    public static ObjectRule object() {
        return new ObjectRule();
    }

    /** A finite number for which {@code ok} holds ({@code rule} says what it must be). */
    public static Rule number(DoublePredicate ok, String rule) {
        return (v, path) -> {
            if (!v.isNumber()) {
                throw bad(path, "must be a number, not " + shown(v));
            }
            double d = v.asDouble();
            if (!Double.isFinite(d) || !ok.test(d)) {
                throw bad(path, rule + ", got " + d);
            }
        };
    }

    public static Rule finite() {
        return number(d -> true, "must be finite");
    }

    public static Rule positive() {
        return number(d -> d > 0, "must be > 0");
    }

    public static Rule nonNegative() {
        return number(d -> d >= 0, "must be >= 0");
    }

    /** An exponent in the physical range of a scaling law: the quantity grows (or the loss falls) with scale. */
    public static Rule exponent() {
        return number(d -> d > 0, "must be > 0 (a non-positive exponent is outside the physical range)");
    }

    public static Rule integer(long min) {
        return (v, path) -> {
            if (!v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < min) {
                throw bad(path, "must be an integer >= " + min + ", not " + shown(v));
            }
        };
    }

    public static Rule bool() {
        return (v, path) -> {
            if (!v.isBoolean()) {
                throw bad(path, "must be true or false, not " + shown(v));
            }
        };
    }

    /** A string; with choices, one of them. */
    public static Rule text(String... choices) {
        return (v, path) -> {
            if (!v.isTextual()) {
                throw bad(path, "must be a string, not " + shown(v));
            }
            if (choices.length > 0 && !List.of(choices).contains(v.asText())) {
                throw bad(path, "must be one of " + String.join(", ", choices) + ", not '" + v.asText() + "'");
            }
        };
    }

    /** An array of at least {@code min} elements, each passing {@code element} (null elements refused). */
    public static Rule arrayOf(Rule element, int min) {
        return (v, path) -> {
            if (!v.isArray()) {
                throw bad(path, "must be an array, not " + shown(v));
            }
            if (v.size() < min) {
                throw bad(path, "must have at least " + min + " element" + (min == 1 ? "" : "s") + ", has " + v.size());
            }
            for (int i = 0; i < v.size(); i++) {
                if (v.get(i).isNull()) {
                    throw bad(path + "[" + i + "]", "is null");
                }
                element.check(v.get(i), path + "[" + i + "]");
            }
        };
    }

    /** An object whose every value passes {@code rule}. */
    public static Rule mapOf(Rule rule) {
        return (v, path) -> {
            if (!v.isObject()) {
                throw bad(path, "must be a JSON object, not " + shown(v));
            }
            Iterator<Map.Entry<String, JsonNode>> it = v.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                rule.check(e.getValue(), path + "." + e.getKey());
            }
        };
    }

    /**
     * A number or a non-finite one, written as null; in arrays (samples, intervals) of files written
     * before arrays held nulls, the strings "NaN" and "Infinity".
     */
    public static Rule numberOrNull() {
        return (v, path) -> {
            boolean nonFinite = v.isTextual() && Set.of("NaN", "Infinity", "-Infinity").contains(v.asText());
            if (!v.isNull() && !v.isNumber() && !nonFinite) {
                throw bad(path, "must be a number or null, not " + shown(v));
            }
        };
    }

    /** A [low, high] interval; null ends are intervals that could not be computed. */
    private static final Rule INTERVAL = (v, path) -> {
        if (!v.isArray() || v.size() != 2) {
            throw bad(path, "must be an interval [low, high]");
        }
        numberOrNull().check(v.get(0), path + "[0]");
        numberOrNull().check(v.get(1), path + "[1]");
    };

    private static final Rule INTERVALS = mapOf(INTERVAL);

    private static Rule law(Rule exponent) {
        return object().require("coefficient", positive()).require("exponent", exponent);
    }

    /**
     * A bootstrap record: {@code samples} holds each named quantity (and any other) as an array of
     * {@code replicates} numbers or nulls (failed refits), so every sample index means one refit.
     */
    private static Rule bootstrap(String... names) {
        return object()
                .require("replicates", integer(0))
                .optional("succeeded", integer(0))
                .optional("level", number(d -> d > 0 && d < 1, "must be in (0, 1)"))
                .and((v, path) -> {
                    JsonNode samples = v.get("samples");
                    if (samples == null || samples.isNull()) {
                        return; // fits.json may leave the samples out; predictions then have no interval
                    }
                    long n = v.get("replicates").asLong();
                    if (!samples.isObject()) {
                        throw bad(path + ".samples", "must be a JSON object");
                    }
                    if (n > 0) {
                        for (String name : names) {
                            if (!samples.has(name) || samples.get(name).isNull()) {
                                throw bad(path + ".samples." + name, "is missing");
                            }
                        }
                    }
                    Iterator<Map.Entry<String, JsonNode>> it = samples.fields();
                    while (it.hasNext()) {
                        Map.Entry<String, JsonNode> e = it.next();
                        String p = path + ".samples." + e.getKey();
                        JsonNode a = e.getValue();
                        if (!a.isArray()) {
                            throw bad(p, "must be an array of numbers");
                        }
                        if (a.size() != n) {
                            throw bad(p, "has " + a.size() + " samples, but replicates is " + n);
                        }
                        for (int i = 0; i < a.size(); i++) {
                            numberOrNull().check(a.get(i), p + "[" + i + "]");
                        }
                    }
                });
    }

    private static final Rule POINT = object().require("N", positive()).require("D", positive())
            .require("C", positive()).require("loss", positive());

    private static final Rule PARABOLA = object().require("c0", finite()).require("c1", finite())
            .require("c2", finite());

    /** A used budget's minimum feeds the power laws and predictions; an edge one may be null (NaN). */
    private static final Rule BUDGET = object()
            .require("C", positive())
            .require("used", bool())
            .optional("edge", bool())
            .optional("N_opt", numberOrNull())
            .optional("D_opt", numberOrNull())
            .optional("loss_opt", numberOrNull())
            .optional("parabola_N", PARABOLA)
            .optional("parabola_D", PARABOLA)
            .optional("ci", INTERVALS)
            .optional("points", arrayOf(POINT, 0))
            .and((v, path) -> {
                if (v.get("used").asBoolean()) {
                    for (String k : List.of("N_opt", "D_opt", "loss_opt")) {
                        JsonNode x = v.get(k);
                        if (x == null || x.isNull()) {
                            throw bad(path + "." + k, "is missing, but the budget is used");
                        }
                        positive().check(x, path + "." + k);
                    }
                }
            });

    static final ObjectRule SETTINGS = object()
            .optional("param_convention", text("total", "non-embedding", "non-embedding-with-head"))
            .optional("flop_convention", text(FlopConvention.KAPLAN.key(), FlopConvention.CHINCHILLA.key()))
            .optional("ci_level", number(d -> d > 0 && d < 1, "must be in (0, 1)"))
            .optional("bootstrap", integer(0));

    static final ObjectRule APPROACH3 = parametric();

    /** A parameter on its bound: which, which side, the bound. */
    private static final Rule BOUND_HIT = object()
            .require("parameter", text("E", "A", "B", "alpha", "beta"))
            .require("side", text("lower", "upper"))
            .require("bound", finite());

    /**
     * Approach 3's fields, the box and the bounds hit (an empty list when the optimum is inside the box),
     * and the fitted law inside its recorded box.
     */
    static final ObjectRule APPROACH3_BOUNDED = parametric()
            .require("bounds_hit", arrayOf(BOUND_HIT, 0))
            .optional("weighting", text())
            .optional("bounds", mapOf((v, path) -> {
                INTERVAL.check(v, path);
                finite().check(v.get(0), path + "[0]");
                finite().check(v.get(1), path + "[1]");
            }))
            .optional("bootstrap_bounds_hit", mapOf(integer(0)))
            .and((v, path) -> {
                JsonNode box = v.get("bounds");
                if (box == null || !box.isObject()) {
                    return;
                }
                for (String k : List.of("E", "A", "B", "alpha", "beta")) {
                    JsonNode b = box.get(k);
                    double x = v.get(k).asDouble();
                    if (b != null && !(x >= b.get(0).asDouble() && x <= b.get(1).asDouble())) {
                        throw bad(path + "." + k, "is " + x + ", outside its bounds " + b);
                    }
                }
            });

    /** The law and its intervals, residuals and bootstrap, as both approach 3 fits write them. */
    private static ObjectRule parametric() {
        return object()
            .require("E", nonNegative())
            .require("A", positive())
            .require("B", positive())
            .require("alpha", exponent())
            .require("beta", exponent())
            .optional("n_points", integer(1))
            .optional("ci", INTERVALS)
            .optional("residuals", arrayOf(object().require("N", positive()).require("D", positive())
                    .optional("loss", positive()).optional("log_residual", finite()), 0))
            .optional("bootstrap", bootstrap("E", "A", "B", "alpha", "beta"));
    }

    static final ObjectRule APPROACH2 = object()
            .require("a", exponent())
            .require("b", exponent())
            .require("n_opt_law", law(exponent()))
            .require("d_opt_law", law(exponent()))
            .require("loss_opt_law", law(number(d -> d < 0,
                    "must be < 0 (a loss that does not fall with compute is outside the physical range)")))
            .require("budgets", arrayOf(BUDGET, 1))
            .optional("budgets_used", integer(0))
            .optional("ci", INTERVALS)
            .optional("bootstrap", bootstrap("a", "b", "N_coefficient", "D_coefficient", "loss_exponent",
                    "loss_coefficient"));

    static final ObjectRule APPROACH1 = object()
            .require("a", exponent())
            .require("b", exponent())
            .require("n_opt_law", law(exponent()))
            .require("d_opt_law", law(exponent()))
            .require("envelope", arrayOf(object().require("C", positive()).require("N", positive())
                    .require("D", positive()).require("loss", positive()).optional("edge", bool()), 1))
            .optional("ci", INTERVALS)
            .optional("bootstrap", bootstrap("a", "b", "N_coefficient", "D_coefficient"));

    private static final Rule KAPLAN_LAW = object()
            .require("X_c", positive())
            .require("alpha", exponent())
            .optional("E", nonNegative())
            .optional("points", arrayOf(arrayOf(finite(), 2), 0));

    static final ObjectRule KAPLAN = object()
            .optional("alpha_N", exponent())
            .optional("alpha_D", exponent())
            .optional("alpha_C", exponent())
            .optional("N_c", positive())
            .optional("D_c", positive())
            .optional("C_c", positive())
            .require("joint", object().require("alpha_N", exponent()).require("alpha_D", exponent())
                    .require("N_c", positive()).require("D_c", positive()))
            .optional("laws", mapOf(KAPLAN_LAW))
            .optional("ci", INTERVALS)
            .optional("bootstrap", bootstrap("joint_alpha_N", "joint_alpha_D", "joint_N_c", "joint_D_c"));

    /** C(N, D) = D x F(N): (N, F) points, N strictly increasing, F positive (every allocation reads it). */
    static final ObjectRule FLOPS_CURVE = object()
            .optional("param_convention", text())
            .optional("flop_convention", text())
            .optional("source", text())
            .require("points", arrayOf(arrayOf(positive(), 2), 2))
            .and((v, path) -> {
                JsonNode pts = v.get("points");
                for (int i = 0; i < pts.size(); i++) {
                    if (pts.get(i).size() != 2) {
                        throw bad(path + ".points[" + i + "]", "must be a pair [N, F]");
                    }
                    if (i > 0 && !(pts.get(i).get(0).asDouble() > pts.get(i - 1).get(0).asDouble())) {
                        throw bad(path + ".points[" + i + "]", "must have a larger N than the point before");
                    }
                }
            });

    /** One law's place in the ranking ({@link Ranking.Entry}); errors and coverage absent when it was not backtested. */
    static final ObjectRule RANKED_LAW = object()
            .require("law", text())
            .optional("rank", number(d -> d >= 1 && d == Math.rint(d), "must be a whole number >= 1"))
            .require("recommended", bool())
            .require("identified", bool())
            .optional("mean_abs_rel_error", number(d -> d >= 0, "must be >= 0"))
            .optional("coverage", number(d -> d >= 0 && d <= 1, "must be in [0, 1]"))
            .optional("covers", bool())
            .require("origins", number(d -> d >= 0, "must be >= 0"))
            .require("held_out_runs", number(d -> d >= 0, "must be >= 0"))
            .optional("unidentified", arrayOf(text(), 0))
            .optional("note", text());

    /** The laws ranked by backtest ({@link Ranking}); its recommended law must be one it ranks first. */
    static final ObjectRule RANKING = object()
            .require("rule", text())
            .require("level", number(d -> d > 0 && d < 1, "must be in (0, 1)"))
            .require("coverage_margin", number(d -> d >= 0 && d < 1, "must be in [0, 1)"))
            .optional("recommended", text())
            .require("verdict", text())
            .require("laws", arrayOf(RANKED_LAW, 0));

    static final ObjectRule DOCUMENT = object()
            .require("schema", (v, path) -> {
                if (!v.isTextual() || !SUPPORTED.contains(v.asText())) {
                    throw bad(path, "is " + shown(v) + "; this scalinglab reads " + String.join(", ", SUPPORTED));
                }
            })
            .optional("settings", SETTINGS)
            .optional("flops_per_token", FLOPS_CURVE)
            .optional("max_fitted_flops", number(d -> d >= 0, "must be >= 0"))
            .optional("recommended", text())
            .optional("ranking", RANKING)
            .optional(Approach.PARAMETRIC.key(), APPROACH3)
            .optional(Approach.PARAMETRIC_BOUNDED.key(), APPROACH3_BOUNDED)
            .optional(Approach.ISOFLOP.key(), APPROACH2)
            .optional(Approach.ENVELOPE.key(), APPROACH1)
            .optional(Approach.KAPLAN.key(), KAPLAN)
            .optional("not_fitted", mapOf(text()))
            .optional("seconds", mapOf(numberOrNull()))
            .and((v, path) -> {
                if (APPROACHES.stream().noneMatch(a -> v.hasNonNull(a))) {
                    throw bad("", "holds no fitted approach (none of " + String.join(", ", APPROACHES) + ")");
                }
                // predict, forecast and the check stage lead with this law: it must be the first ranked and fitted
                JsonNode rec = v.path("recommended");
                if (rec.isTextual()) {
                    JsonNode first = v.path("ranking").path("laws").path(0);
                    if (!rec.asText().equals(first.path("law").asText()) || first.path("rank").asInt() != 1
                            || !first.path("identified").asBoolean()) {
                        throw bad("recommended", "is '" + rec.asText() + "', which is not the identified law the "
                                + "ranking puts first");
                    }
                    if (!v.hasNonNull(rec.asText())) {
                        throw bad("recommended", "is '" + rec.asText() + "', which the file does not hold");
                    }
                }
            });

    /** Checks a fits.json document; the first problem is a one-line data error (exit code 4) naming the field. */
    public static void check(JsonNode document, Path file) {
        JsonNode schema = document.path("schema");
        if (!schema.isTextual() || !schema.asText().startsWith("scalinglab.fits/")) {
            throw ScalingLabException.data(file + " is not a scalinglab fits file (no \"schema\": \""
                    + FitReport.SCHEMA + "\")", "give a fits.json written by 'scalinglab fit <results> --out fits.json'");
        }
        try {
            DOCUMENT.check(document, "");
        } catch (Invalid e) {
            throw ScalingLabException.data(file + " is not a valid fits file: " + e.getMessage(),
                    "write it again with 'scalinglab fit <results> --out " + file + "'");
        }
    }

    /** The first problem found, as "path problem". */
    private static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private static Invalid bad(String path, String problem) {
        return new Invalid(path.isEmpty() ? problem : path + " " + problem);
    }

    private static String shown(JsonNode v) {
        String s = v.isTextual() ? "'" + v.asText() + "'" : v.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
