package org.scalinglab.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;

/**
 * YAML configs read strictly: unknown keys and wrong types are rejected with the key's path
 * ({@code train.batch_size}), defaults come from a documented YAML resource merged underneath, and
 * {@code key.path=value} overrides apply on top.
 */
public final class StrictYaml {
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d[\\d_]*)?(\\.\\d*)?([eE][-+]?\\d+)?");

    private static final ObjectMapper MAPPER = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .configure(EnumFeature.WRITE_ENUMS_TO_LOWERCASE, true)
            .build();

    /** What reads users' YAML (files, --set values): a key set twice is refused, since which one was meant? */
    private static final ObjectReader USER_YAML = MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            // exact decimals: 1e1 stays the integer 10 (2e6 a count), 1e400 is seen as too large, not infinity
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .without(com.fasterxml.jackson.databind.cfg.JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);

    private StrictYaml() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Reads a YAML file into a tree; an empty file is an empty mapping. */
    public static ObjectNode readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw ScalingLabException.config("config file not found: " + file, "check the path");
        }
        try {
            return asMapping(readUserYaml(Files.readString(file), file.toString()), file.toString());
        } catch (JsonProcessingException e) {
            throw yamlError(e, "in " + file);
        } catch (IOException e) {
            // a file that is not UTF-8 text (a binary, say) is not a config either; its bytes are not echoed
            throw ScalingLabException.config("cannot read " + file + " as a YAML config: " + e.getClass().getSimpleName(),
                    "give a scalinglab config file (UTF-8 YAML)");
        }
    }

    /** Jackson's YAML error as one line that quotes a key only when it looks like one. */
    private static ScalingLabException yamlError(JsonProcessingException e, String where) {
        String line = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")";
        java.util.regex.Matcher dup = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
        if (dup.find()) {
            return ScalingLabException.config("key " + shown(dup.group(1)) + " appears twice " + where + line,
                    "keep one of them");
        }
        if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
            return ScalingLabException.config("YAML " + where + " is too large or too deeply nested" + line,
                    "a config is a few levels of keys: check the file");
        }
        return ScalingLabException.config("malformed YAML " + where + line + ": " + firstLine(e.getOriginalMessage()),
                "fix the YAML syntax");
    }

    /** Deeper than any config nests (a sweep's base.train.optimizer is 4 levels): a mistake or an attack. */
    static final int MAX_DEPTH = 64;

    /**
     * Parses users' YAML (a file, a --set value) after a pass over its tokens that refuses what the
     * tree reader would get wrong without a word: an alias ({@code *name}, which Jackson reads as
     * the text "name"), a second document (which it ignores), and nesting deeper than {@link
     * #MAX_DEPTH} levels. Null for an empty text.
     */
    static JsonNode readUserYaml(String text, String where) throws JsonProcessingException {
        try (JsonParser p = MAPPER.getFactory().createParser(text)) {
            int depth = 0;
            boolean root = false;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                int line = p.currentLocation().getLineNr();
                if (depth == 0 && root) {
                    throw ScalingLabException.config(where + " holds more than one YAML document (another starts at "
                            + "line " + line + ")", "keep one document: remove the '---' and what follows it");
                }
                if (p instanceof YAMLParser y && y.isCurrentAlias()) {
                    throw ScalingLabException.config(where + " uses a YAML alias (*name) at line " + line
                            + ", which configs do not support", "write the value out in full where the alias is");
                }
                if (t.isStructStart() && ++depth > MAX_DEPTH) {
                    throw ScalingLabException.config(where + " nests more than " + MAX_DEPTH + " levels deep (line "
                            + line + ")", "a config is a few levels of keys: check the YAML");
                }
                if (t.isStructEnd()) {
                    depth--;
                }
                root |= depth == 0;
            }
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw ScalingLabException.config("cannot read the YAML of " + where + ": " + e.getMessage(), null);
        }
        return USER_YAML.readTree(text);
    }

    /**
     * Refuses a file none of whose top-level keys is a key of {@code defaults}: a text file that is
     * not a config at all (extends: /etc/shadow). The message names no key of it, since its keys may be
     * anything the file holds.
     */
    public static void requireConfig(ObjectNode tree, ObjectNode defaults, Path file, String what) {
        if (tree.isEmpty()) {
            return;
        }
        for (Iterator<String> it = tree.fieldNames(); it.hasNext(); ) {
            if (defaults.has(it.next())) {
                return;
            }
        }
        List<String> known = new ArrayList<>();
        defaults.fieldNames().forEachRemaining(known::add);
        throw ScalingLabException.config(file + " is not " + what + ": none of its top-level keys is a config key",
                "give a config file; its keys are " + String.join(", ", known));
    }

    /** A key from a user's file, quoted when it looks like a key; else not shown (it may be any text). */
    static String shown(String key) {
        return key != null && KEY.matcher(key).matches() ? "'" + key + "'" : "(not shown: not a key name)";
    }

    /** Reads a YAML resource that sits next to {@code anchor}. */
    public static ObjectNode readResource(Class<?> anchor, String name) {
        try (InputStream in = anchor.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return asMapping(MAPPER.readTree(in), name);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + name, e);
        }
    }

    private static ObjectNode asMapping(JsonNode node, String where) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return MAPPER.createObjectNode();
        }
        if (!node.isObject()) {
            throw ScalingLabException.config(where + " must hold a YAML mapping of keys to values", null);
        }
        return (ObjectNode) node;
    }

    /**
     * Overlays {@code top} onto {@code base} (both changed in place: the result is {@code base}).
     * Mappings merge key by key; anything else replaces.
     */
    public static ObjectNode merge(ObjectNode base, JsonNode top) {
        Iterator<Map.Entry<String, JsonNode>> it = top.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = base.get(e.getKey());
            if (existing != null && existing.isObject() && e.getValue().isObject()) {
                merge((ObjectNode) existing, e.getValue());
            } else {
                base.set(e.getKey(), e.getValue());
            }
        }
        return base;
    }

    /**
     * Applies {@code key.path=value} overrides; the value is parsed as YAML, so numbers, booleans,
     * {@code null} and flow lists ({@code [1, 2]}) work.
     */
    public static void applyOverrides(ObjectNode root, List<String> overrides) {
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new ScalingLabException(ExitCode.USAGE, "--set '" + override + "' is not of the form key.path=value",
                        "for example --set train.batch_size=32");
            }
            String[] path = override.substring(0, eq).trim().split("\\.");
            JsonNode value;
            try {
                value = readUserYaml(override.substring(eq + 1), "the value of --set " + override.substring(0, eq));
            } catch (JsonProcessingException e) {
                throw ScalingLabException.config("cannot parse the value of override '" + override + "'", null);
            }
            ObjectNode node = root;
            for (int i = 0; i < path.length - 1; i++) {
                JsonNode child = node.get(path[i]);
                if (child == null || !child.isObject()) {
                    child = node.putObject(path[i]);
                }
                node = (ObjectNode) child;
            }
            node.set(path[path.length - 1], value == null || value.isMissingNode() ? MAPPER.nullNode() : value);
        }
    }

    /**
     * Binds a tree to {@code type}, turning Jackson's errors into one line naming the key path.
     * Numeric strings such as {@code 2e6} (which YAML 1.1 leaves as text) become numbers first.
     */
    public static <T> T bind(JsonNode tree, Class<T> type, String prefix) {
        JsonNode normalised = normaliseNumbers(tree.deepCopy());
        checkScalars(normalised, prefix == null ? "" : prefix);
        try {
            return MAPPER.treeToValue(normalised, type);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            String key = path(prefix, e);
            throw ScalingLabException.config("unknown config key " + (KEY.matcher(key.replaceAll("\\[\\d+]", ""))
                    .matches() ? "'" + key + "'" : shown(null)), known.isEmpty() ? null : "known keys here: " + known);
        } catch (InvalidFormatException e) {
            throw ScalingLabException.config("config key '" + path(prefix, e) + "': '" + e.getValue()
                    + "' is not a valid " + describe(e.getTargetType()), allowed(e.getTargetType()));
        } catch (MismatchedInputException e) {
            String target = e.getTargetType() == null ? "value" : describe(e.getTargetType());
            String msg = e.getOriginalMessage();
            if (msg != null && msg.contains("Missing required creator property")) {
                throw ScalingLabException.config("config key '" + path(prefix, e) + "' is missing", null);
            }
            throw ScalingLabException.config(
                    "config key '" + path(prefix, e) + "' has the wrong type: expected " + target,
                    allowed(e.getTargetType()));
        } catch (JsonMappingException e) {
            Throwable root = e.getCause() != null ? e.getCause() : e;
            throw ScalingLabException.config(
                    "config key '" + path(prefix, e) + "': " + firstLine(root.getMessage()), null);
        } catch (JsonProcessingException e) {
            throw ScalingLabException.config("invalid config: " + firstLine(e.getOriginalMessage()), null);
        }
    }

    /**
     * The checks every config value shares, once, where configs are bound. A number must be finite
     * (1e400 reads as infinity: a run length, budget or optimizer setting of infinity never ends or
     * never trains). No key or text value may hold a newline, carriage return, tab or other control
     * character: config values end up in file names, logs and generated shell scripts (sbatch), where a
     * newline starts a new command; the value itself is not echoed, since it may be anything.
     */
    static void checkScalars(JsonNode node, String path) {
        if (node.isNumber() && !Double.isFinite(node.asDouble())) {
            throw ScalingLabException.config("config key '" + path + "' is not a finite number (it is too large or "
                    + "infinite)", "write a number within the double range, e.g. 1e6");
        }
        if (node.isTextual() && hasControlCharacter(node.asText())) {
            throw ScalingLabException.config("config key '" + path + "' contains a control character (a newline, "
                    + "carriage return, tab or the like)", "write the value on one line, with no control characters");
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (hasControlCharacter(e.getKey())) {
                    throw ScalingLabException.config("a config key under '" + (path.isEmpty() ? "the top level" : path)
                            + "' contains a control character", "write keys as plain words such as batch_size");
                }
                checkScalars(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                checkScalars(node.get(i), path + "[" + i + "]");
            }
        }
    }

    /** True when {@code s} holds a C0 or C1 control character (newline, CR, tab, NUL, DEL, NEL ...). */
    public static boolean hasControlCharacter(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private static String path(String prefix, JsonMappingException e) {
        List<String> parts = new ArrayList<>();
        if (prefix != null && !prefix.isEmpty()) {
            parts.add(prefix);
        }
        StringBuilder sb = new StringBuilder(String.join(".", parts));
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type.isEnum()) {
            return "choice";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "integer";
        }
        if (type == double.class || type == Double.class || type == float.class) {
            return "number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "boolean (true or false)";
        }
        if (type == String.class) {
            return "string";
        }
        if (type.isRecord() || Map.class.isAssignableFrom(type)) {
            return "mapping of keys";
        }
        if (List.class.isAssignableFrom(type)) {
            return "list";
        }
        return type.getSimpleName();
    }

    private static String allowed(Class<?> type) {
        if (type != null && type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            List<String> names = new ArrayList<>();
            for (Object c : constants) {
                names.add(c.toString().toLowerCase(java.util.Locale.ROOT));
            }
            return "one of " + String.join(", ", names);
        }
        return null;
    }

    /** YAML 1.1 reads {@code 2e6} and {@code 1_000} as strings; configs mean numbers. */
    static JsonNode normaliseNumbers(JsonNode node) {
        if (node.isObject()) {
            ObjectNode obj = (ObjectNode) node;
            List<String> names = new ArrayList<>();
            obj.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                obj.set(name, normaliseNumbers(obj.get(name)));
            }
            return obj;
        }
        if (node.isArray()) {
            ArrayNode arr = (ArrayNode) node;
            for (int i = 0; i < arr.size(); i++) {
                arr.set(i, normaliseNumbers(arr.get(i)));
            }
            return arr;
        }
        if (node.isTextual()) {
            String s = node.asText().trim();
            if (!s.isEmpty() && NUMBER.matcher(s).matches() && s.chars().anyMatch(Character::isDigit)) {
                return decimal(new BigDecimal(s.replace("_", "")));
            }
        }
        if (node.isBigDecimal()) {
            return decimal(node.decimalValue());
        }
        if (node.isFloatingPointNumber()) {
            double d = node.asDouble();
            if (d == Math.rint(d) && Math.abs(d) < 9e15 && node.asText().toLowerCase(java.util.Locale.ROOT).contains("e")) {
                return LongNode.valueOf((long) d); // 2.0e+6 is a count, not a fraction
            }
        }
        return node;
    }

    /**
     * A number as users write it (users' YAML reads floats exactly): written without fractional digits
     * ({@code 1e1}, {@code 2e6}, {@code 2.5e6}, {@code 2.0e+6}) and an exact integer, it is a count, which
     * an integer key takes; else a double ({@code 10.0}, {@code 0.003}), infinite when beyond the double
     * range, which {@link #checkScalars} refuses.
     */
    private static JsonNode decimal(BigDecimal b) {
        if (b.scale() <= 0 && b.abs().compareTo(BigDecimal.valueOf(9e15)) < 0) {
            return LongNode.valueOf(b.longValueExact());
        }
        return DoubleNode.valueOf(b.doubleValue());
    }
}
