package org.scalinglab.config;

import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.io.IOException;
import java.io.InputStream;
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
            .with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

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
            JsonNode node = USER_YAML.readTree(Files.readAllBytes(file));
            return asMapping(node, file.toString());
        } catch (JsonProcessingException e) {
            java.util.regex.Matcher dup = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
            if (dup.find()) {
                throw ScalingLabException.config("key '" + dup.group(1) + "' appears twice in " + file
                        + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"),
                        "keep one of them");
            }
            throw ScalingLabException.config(
                    "malformed YAML in " + file + " at line " + e.getLocation().getLineNr() + ": "
                            + e.getOriginalMessage().lines().findFirst().orElse(""),
                    "fix the YAML syntax");
        } catch (IOException e) {
            throw ScalingLabException.config("cannot read " + file + ": " + e.getMessage(), null);
        }
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
                value = USER_YAML.readTree(override.substring(eq + 1));
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
        refuseControlCharacters(tree, prefix == null ? "" : prefix);
        JsonNode normalised = normaliseNumbers(tree.deepCopy());
        try {
            return MAPPER.treeToValue(normalised, type);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            throw ScalingLabException.config(
                    "unknown config key '" + path(prefix, e) + "'", known.isEmpty() ? null : "known keys here: " + known);
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
     * Refuses a newline, carriage return, tab or other control character in any key or text value:
     * config values end up in file names, logs and generated shell scripts (sbatch), where a newline
     * starts a new command. The value itself is not echoed, since it may be anything.
     */
    static void refuseControlCharacters(JsonNode node, String path) {
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
                refuseControlCharacters(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refuseControlCharacters(node.get(i), path + "[" + i + "]");
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
                double d = Double.parseDouble(s.replace("_", ""));
                if (d == Math.rint(d) && Math.abs(d) < 9e15) {
                    return LongNode.valueOf((long) d);
                }
                return DoubleNode.valueOf(d);
            }
        }
        if (node.isFloatingPointNumber()) {
            double d = node.asDouble();
            if (d == Math.rint(d) && Math.abs(d) < 9e15 && node.asText().toLowerCase(java.util.Locale.ROOT).contains("e")) {
                return LongNode.valueOf((long) d); // 2.0e+6 is a count, not a fraction
            }
        }
        return node;
    }
}
