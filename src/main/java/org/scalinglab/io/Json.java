package org.scalinglab.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.scalinglab.ScalingLabException;

/**
 * The one JSON mapper of the project: snake_case keys (records' camelCase components become
 * {@code batch_size}), lower-case enum values (as in the YAML configs), pretty output, and non-finite doubles written as {@code null}, so that every
 * file stays strict JSON that a browser's {@code JSON.parse} and pandas both read: a field, and each
 * element of a {@code double[]} (bootstrap samples, intervals), which reads back as NaN. Files written
 * before arrays held nulls hold the strings "NaN", "Infinity" and "-Infinity" there; they read as before.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .addModule(new SimpleModule("non-finite-as-null")
                    .addSerializer(Double.class, new NonFiniteAsNull())
                    .addSerializer(double.class, new NonFiniteAsNull())
                    .addSerializer(double[].class, new NonFiniteElementsAsNull())
                    .addDeserializer(double[].class, new NullElementsAsNaN()))
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(JsonParser.Feature.INCLUDE_SOURCE_IN_LOCATION)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .configure(EnumFeature.WRITE_ENUMS_TO_LOWERCASE, true)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** One line of JSON, no trailing newline (for line-oriented protocols between processes). */
    public static String compact(Object value) {
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** Serialises {@code value} and writes it atomically. */
    public static void writeAtomically(Path target, Object value) {
        AtomicFiles.writeString(target, write(value));
    }

    public static JsonNode readTree(Path file) {
        String kind = AtomicFiles.notRegular(file);
        if (kind != null) {
            throw ScalingLabException.data("cannot read " + file + ": it is " + kind + ", not a JSON file", null);
        }
        try {
            return MAPPER.readTree(file.toFile());
        } catch (NoSuchFileException e) {
            throw ScalingLabException.data("no such file: " + file, null);
        } catch (IOException e) {
            throw ScalingLabException.data("cannot read " + file + " as JSON: " + why(e), null);
        }
    }

    public static <T> T read(Path file, Class<T> type) {
        String kind = AtomicFiles.notRegular(file);
        if (kind != null) {
            throw ScalingLabException.data("cannot read " + file + ": it is " + kind + ", not a JSON file", null);
        }
        if (!Files.isRegularFile(file)) {
            throw ScalingLabException.data("no such file: " + file, null);
        }
        try {
            return MAPPER.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw ScalingLabException.data("cannot read " + file + " as " + type.getSimpleName() + ": " + why(e), null);
        }
    }

    /**
     * Why a file did not read, without its content when it is not JSON at all: a parser's message quotes
     * the token it choked on, which for a file given by mistake (a password file, say) is its text.
     */
    private static String why(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.io.JsonEOFException
                || String.valueOf(e.getMessage()).startsWith("Unexpected end-of-input")) {
            return "it ends early (truncated?)";
        }
        if (e instanceof com.fasterxml.jackson.core.JsonParseException p) {
            return "it is not valid JSON" + (p.getLocation() == null ? "" : " (line " + p.getLocation().getLineNr()
                    + ", column " + p.getLocation().getColumnNr() + ")");
        }
        return firstLine(e.getMessage());
    }

    private static final class NonFiniteAsNull extends StdSerializer<Double> {
        private static final long serialVersionUID = 1L;

        NonFiniteAsNull() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (value == null || !Double.isFinite(value)) {
                gen.writeNull();
            } else {
                gen.writeNumber(value);
            }
        }
    }

    /** A {@code double[]} with each non-finite element written as {@code null}. */
    private static final class NonFiniteElementsAsNull extends StdSerializer<double[]> {
        private static final long serialVersionUID = 1L;

        NonFiniteElementsAsNull() {
            super(double[].class);
        }

        @Override
        public void serialize(double[] value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartArray(value, value.length);
            for (double d : value) {
                if (Double.isFinite(d)) {
                    gen.writeNumber(d);
                } else {
                    gen.writeNull();
                }
            }
            gen.writeEndArray();
        }
    }

    /** A {@code double[]} whose null elements (and the strings "NaN", "Infinity" of older files) read as NaN and infinities. */
    private static final class NullElementsAsNaN extends StdDeserializer<double[]> {
        private static final long serialVersionUID = 1L;

        NullElementsAsNaN() {
            super(double[].class);
        }

        @Override
        public double[] deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.isExpectedStartArrayToken()) {
                return (double[]) ctxt.handleUnexpectedToken(double[].class, p);
            }
            double[] out = new double[16];
            int n = 0;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                double d;
                if (t == JsonToken.VALUE_NULL) {
                    d = Double.NaN;
                } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                    d = p.getDoubleValue();
                } else if (t == JsonToken.VALUE_STRING) {
                    try {
                        d = Double.parseDouble(p.getText().trim());
                    } catch (NumberFormatException e) {
                        return (double[]) ctxt.handleWeirdStringValue(double.class, p.getText(), "not a number");
                    }
                } else {
                    return (double[]) ctxt.handleUnexpectedToken(double.class, p);
                }
                if (n == out.length) {
                    out = java.util.Arrays.copyOf(out, 2 * n);
                }
                out[n++] = d;
            }
            return java.util.Arrays.copyOf(out, n);
        }
    }

    /** The first line of an exception's message ("" for none): errors here are one line. */
    public static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
