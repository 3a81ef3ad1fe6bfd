package org.scalinglab.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NumbersCountTest {
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
