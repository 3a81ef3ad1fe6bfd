package org.scalinglab.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Non-finite numbers: written as null, fields and array elements alike; read back from null and from old strings. */
class JsonTest {
    record Sample(double value, Double boxed, double[] draws, Map<String, double[]> ci) {}

    @Test
    void nonFiniteNumbersAreWrittenAsNullEverywhere() {
        String json = Json.compact(new Sample(Double.NaN, Double.POSITIVE_INFINITY,
                new double[] {1.5, Double.NaN, Double.NEGATIVE_INFINITY}, Map.of("a", new double[] {Double.NaN, 2})));
        assertEquals("{\"value\":null,\"boxed\":null,\"draws\":[1.5,null,null],\"ci\":{\"a\":[null,2.0]}}", json);
        assertFalse(json.contains("NaN") || json.contains("Infinity"), json);
    }

    @Test
    void arraysReadNullAsNaNAndOldStringsAsBefore() throws Exception {
        double[] back = Json.mapper().readValue("[1.5, null, \"NaN\", \"Infinity\", \"-Infinity\", 2]", double[].class);
        assertArrayEquals(new double[] {1.5, Double.NaN, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            2}, back);
        Map<String, double[]> ci = Json.mapper().readValue("{\"a\": [null, 2], \"b\": [\"NaN\", 3]}",
                new TypeReference<Map<String, double[]>>() {});
        assertArrayEquals(new double[] {Double.NaN, 2}, ci.get("a"));
        assertArrayEquals(new double[] {Double.NaN, 3}, ci.get("b"));
    }
}
