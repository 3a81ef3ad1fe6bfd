package org.scalinglab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {
    private static boolean valid(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        Utf8 u = new Utf8();
        return u.feed(ByteBuffer.wrap(b)) && u.finish();
    }

    @Test
    void acceptsWellFormedText() {
        Utf8 u = new Utf8();
        assertTrue(u.feed(ByteBuffer.wrap("a é 中 🙂 \uFFFD".getBytes(StandardCharsets.UTF_8))));
        assertTrue(u.finish());
        assertTrue(valid(0xF4, 0x8F, 0xBF, 0xBF)); // U+10FFFF
        assertTrue(valid(0xED, 0x9F, 0xBF)); // U+D7FF, below the surrogates
    }

    @Test
    void rejectsMalformedAndBinary() {
        assertFalse(valid('a', 0, 'b')); // NUL: a binary file
        assertFalse(valid(0xC0, 0xAF)); // overlong '/'
        assertFalse(valid(0xE0, 0x80, 0xAF)); // overlong
        assertFalse(valid(0xED, 0xA0, 0x80)); // surrogate U+D800
        assertFalse(valid(0xF4, 0x90, 0x80, 0x80)); // above U+10FFFF
        assertFalse(valid(0xFF));
        assertFalse(valid(0x80)); // stray continuation
        assertFalse(valid('a', 0xE4, 0xB8)); // cut at the end
    }

    @Test
    void characterSplitAcrossPiecesAndOffsetOfFirstBadByte() {
        byte[] b = "x中".getBytes(StandardCharsets.UTF_8);
        Utf8 u = new Utf8();
        assertTrue(u.feed(ByteBuffer.wrap(b, 0, 2)));
        assertTrue(u.feed(ByteBuffer.wrap(b, 2, 2)));
        assertTrue(u.finish());

        Utf8 bad = new Utf8();
        assertTrue(bad.feed(ByteBuffer.wrap("abc".getBytes(StandardCharsets.UTF_8))));
        assertFalse(bad.feed(ByteBuffer.wrap(new byte[] {'d', (byte) 0xFF})));
        assertFalse(bad.finish());
        assertEquals(4, bad.badOffset());
    }
}
