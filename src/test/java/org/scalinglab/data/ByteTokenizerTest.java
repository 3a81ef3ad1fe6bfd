package org.scalinglab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ByteTokenizerTest {
    private final ByteTokenizer tokenizer = new ByteTokenizer();

    @Test
    void asciiIsOneTokenPerCharacter() {
        assertEquals(256, tokenizer.vocabSize());
        assertArrayEquals(new int[] {72, 105, 10}, tokenizer.encode("Hi\n"));
        assertEquals("Hi\n", tokenizer.decode(new int[] {72, 105, 10}));
    }

    @Test
    void multiByteUtf8RoundTrips() {
        String s = "é 中文 🙂 naïve — Ωmega";
        int[] tokens = tokenizer.encode(s);
        assertArrayEquals(new int[] {0xC3, 0xA9}, tokenizer.encode("é"));
        assertEquals(4, tokenizer.encode("🙂").length);
        assertEquals(s, tokenizer.decode(tokens));
        for (int t : tokens) {
            assertEquals(t & 0xFF, t);
        }
    }

    @Test
    void decodeRejectsNonBytes() {
        assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {256}));
        assertThrows(IllegalArgumentException.class, () -> tokenizer.decode(new int[] {-1}));
    }
}
