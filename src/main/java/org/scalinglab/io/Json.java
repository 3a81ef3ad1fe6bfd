package org.scalinglab.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.EnumFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.scalinglab.ScalingLabException;

/**
 * The one JSON mapper of the project: snake_case keys (records' camelCase components become
 * {@code batch_size}), lower-case enum values (as in the YAML configs), pretty output, and non-finite doubles written as {@code null}, so that every
 * file stays strict JSON that a browser's {@code JSON.parse} and pandas both read.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .addModule(new SimpleModule("non-finite-as-null")
                    .addSerializer(Double.class, new NonFiniteAsNull())
                    .addSerializer(double.class, new NonFiniteAsNull()))
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

    /** The first line of an exception's message ("" for none): errors here are one line. */
    public static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
