package org.scalinglab.data;

import java.nio.ByteBuffer;

/**
 * A streaming check that bytes are well-formed UTF-8 (Unicode table 3-7: no overlong forms, no
 * surrogates, nothing above U+10FFFF) and contain no NUL, which marks a binary file. Feed the bytes in
 * any number of pieces, then ask {@link #finish()}.
 */
final class Utf8 {
    private long offset;
    private long badOffset = -1;
    private int need;
    private int lo = 0x80;
    private int hi = 0xBF;

    /** Consumes the buffer's remaining bytes; returns false once the text is known to be invalid. */
    boolean feed(ByteBuffer buf) {
        if (badOffset >= 0) {
            return false;
        }
        int limit = buf.limit();
        for (int p = buf.position(); p < limit; p++) {
            int b = buf.get(p) & 0xFF;
            if (need == 0) {
                if (b > 0 && b < 0x80) {
                    continue;
                }
                if (b >= 0xC2 && b <= 0xDF) {
                    need = 1;
                } else if (b >= 0xE0 && b <= 0xEF) {
                    need = 2;
                    lo = b == 0xE0 ? 0xA0 : 0x80;
                    hi = b == 0xED ? 0x9F : 0xBF;
                } else if (b >= 0xF0 && b <= 0xF4) {
                    need = 3;
                    lo = b == 0xF0 ? 0x90 : 0x80;
                    hi = b == 0xF4 ? 0x8F : 0xBF;
                } else {
                    return fail(p - buf.position());
                }
            } else {
                if (b < lo || b > hi) {
                    return fail(p - buf.position());
                }
                need--;
                lo = 0x80;
                hi = 0xBF;
            }
        }
        offset += limit - buf.position();
        return true;
    }

    private boolean fail(int at) {
        badOffset = offset + at;
        return false;
    }

    /** Ends the text; returns false if it was invalid or stopped inside a character. */
    boolean finish() {
        if (badOffset < 0 && need > 0) {
            badOffset = offset;
        }
        return badOffset < 0;
    }

    /** Offset of the first byte found invalid (the end, for a cut character); -1 if none. */
    long badOffset() {
        return badOffset;
    }
}
