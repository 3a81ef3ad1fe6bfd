package org.scalinglab.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Each format of {@link Numbers} as the console prints it; a change here changes scalinglab's output. */
class NumbersTest {
    @Test
    void countsAndFlops() {
        assertEquals("9999", Numbers.si(9999));
        assertEquals("1.23M", Numbers.si(1234567));
        assertEquals("462k", Numbers.si(462_123));
        assertEquals("3.00e12", Numbers.sci(3e12));
        assertEquals("1.28e-5", Numbers.sci(1.28e-5));
        assertEquals("3e12", Numbers.shortSci(3e12));
        assertEquals("1.5e11", Numbers.shortSci(1.5e11));
        assertEquals("2e-3", Numbers.shortSci(0.002));
        assertEquals("Infinity", Numbers.shortSci(Double.POSITIVE_INFINITY)); // was an ArrayIndexOutOfBounds
        assertEquals("NaN", Numbers.shortSci(Double.NaN));
        assertEquals("0e0", Numbers.shortSci(0));
    }

    @Test
    void durations() {
        assertEquals("42s", Numbers.duration(42.4));
        assertEquals("3m05s", Numbers.duration(185));
        assertEquals("2h07m", Numbers.duration(2 * 3600 + 7 * 60 + 30));
        assertEquals("-", Numbers.duration(Double.NaN));
    }

    @Test
    void fourSignificantDigitsWithoutTrailingZeros() {
        assertEquals("0.001", Numbers.sig4(0.001));
        assertEquals("1e22", Numbers.sig4(1e22));
        assertEquals("1.235e11", Numbers.sig4(1.2345e11));
        assertEquals("0", Numbers.sig4(0));
        assertEquals("-", Numbers.sig4(Double.NaN));
        assertEquals("[0.25, 3]", Numbers.interval(new double[] {0.25, 3}));
        assertEquals("-", Numbers.interval(null));
    }

    @Test
    void configValuesAndFixedDecimals() {
        assertEquals("2", Numbers.plain(2.0));
        assertEquals("0.25", Numbers.plain(0.25));
        assertEquals("1.0E15", Numbers.plain(1e15));
        assertEquals("64", Numbers.plainOr4g(64));
        assertEquals("64.50", Numbers.plainOr4g(64.5));
        assertEquals("3.1416", Numbers.fixed(Math.PI, 4));
        assertEquals("-", Numbers.fixed(Double.NaN, 4));
        assertEquals("", Numbers.fixedOrBlank(null, 4));
        assertEquals("NaN", Numbers.fixedOrBlank(Double.NaN, 4), "a diverged loss reads as NaN");
        assertEquals("95%", Numbers.percent(0.95));
        assertEquals("1234.57", Numbers.csv(1234.5678));
        assertEquals("", Numbers.csv(Double.POSITIVE_INFINITY));
    }

    @Test
    void countsReadAsPapersWriteThem() {
        assertEquals("11.7k", Numbers.count(11712));
        assertEquals("6.62B", Numbers.count(6.62e9));
        assertEquals("1.4T", Numbers.count(1.4e12));
        assertEquals("8B", Numbers.count(8e9));
        assertEquals("424k", Numbers.count(4.237e5));
        assertEquals("1.06M", Numbers.count(1.059e6));
        assertEquals("7", Numbers.count(7));
        assertEquals("0.70", Numbers.count(0.7));
        assertEquals("999", Numbers.count(999));
        assertEquals("1k", Numbers.count(999.7));
    }
}
