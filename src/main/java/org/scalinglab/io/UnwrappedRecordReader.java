package org.scalinglab.io;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.PropertyNamingStrategy;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/**
 * Reads a record some of whose components are {@code @JsonUnwrapped} groups: records whose keys sit in
 * the enclosing JSON object, so that grouping a flat file's fields in Java leaves the file as it was.
 * Jackson (2.18) writes such a record but cannot read it through the record's constructor ("combination
 * not yet supported"). This reads each unwrapped component from the whole object (a group ignores the
 * other keys, as the project's mapper ignores unknown ones) and every other component from its own key
 * (its {@code @JsonProperty} name, else the mapper's naming strategy's); a missing key reads as null, or 0 for a primitive. A record
 * opts in with {@code @JsonDeserialize(using = ...)} and a subclass naming it.
 */
public abstract class UnwrappedRecordReader<T extends Record> extends StdDeserializer<T> {
    private static final long serialVersionUID = 1L;

    private final transient RecordComponent[] components;
    private final transient Constructor<T> canonical;

    protected UnwrappedRecordReader(Class<T> type) {
        super(type);
        this.components = type.getRecordComponents();
        try {
            this.canonical = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type + " has no canonical constructor", e);
        }
    }

    @Override
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonNode tree = ctxt.readTree(p);
        if (!tree.isObject()) {
            return ctxt.reportInputMismatch(this, "expected a JSON object for %s, found %s",
                    handledType().getSimpleName(), tree.getNodeType());
        }
        PropertyNamingStrategy naming = ctxt.getConfig().getPropertyNamingStrategy();
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            JsonNode node = c.getAccessor().isAnnotationPresent(JsonUnwrapped.class) ? tree : tree.get(key(naming, c));
            args[i] = node == null || node.isNull() ? zero(c.getType())
                    : ctxt.readTreeAsValue(node, ctxt.getTypeFactory().constructType(c.getGenericType()));
        }
        try {
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            return ctxt.reportInputMismatch(this, "cannot build %s: %s", handledType().getSimpleName(),
                    e.getCause().getMessage());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + handledType(), e);
        }
    }

    private static String key(PropertyNamingStrategy naming, RecordComponent c) {
        JsonProperty named = c.getAccessor().getAnnotation(JsonProperty.class);
        if (named == null) {
            named = c.getAnnotation(JsonProperty.class);
        }
        if (named != null && !named.value().isEmpty()) {
            return named.value();
        }
        return naming instanceof PropertyNamingStrategies.NamingBase base ? base.translate(c.getName()) : c.getName();
    }

    /** Null, or a primitive's zero. */
    private static Object zero(Class<?> type) {
        return type.isPrimitive() ? Array.get(Array.newInstance(type, 1), 0) : null;
    }
}
