package org.scalinglab.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoublePredicate;

/**
 * Checks of a JSON tree before it is bound to records (binding would read a missing number as 0): each
 * record that a file holds declares next to its components the rule its JSON must pass ({@code SCHEMA}),
 * built from these. The first problem is thrown as {@link Invalid}, one line naming the field
 * ({@code approach3.alpha is missing}).
 *
 * <p>To check a new field, add it to its record's rule: {@code .require("name", rule)} or
 * {@code .optional("name", rule)}; rules are {@link #positive}, {@link #number}, {@link #text},
 * {@link #arrayOf}, nested {@link #object()}s, or any {@link Rule}.
 */
public final class JsonRules {
    private JsonRules() {}

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
    public static final Rule INTERVAL = (v, path) -> {
        if (!v.isArray() || v.size() != 2) {
            throw bad(path, "must be an interval [low, high]");
        }
        numberOrNull().check(v.get(0), path + "[0]");
        numberOrNull().check(v.get(1), path + "[1]");
    };

    /** Intervals by name: a {@code ci} object. */
    public static final Rule INTERVALS = mapOf(INTERVAL);

    /** The first problem found, as "path problem". */
    public static final class Invalid extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    public static Invalid bad(String path, String problem) {
        return new Invalid(path.isEmpty() ? problem : path + " " + problem);
    }

    private static String shown(JsonNode v) {
        String s = v.isTextual() ? "'" + v.asText() + "'" : v.toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
