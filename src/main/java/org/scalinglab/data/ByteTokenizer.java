package org.scalinglab.data;

import java.nio.charset.StandardCharsets;

/**
 * The byte-level tokenizer: a token is one byte of the text's UTF-8 encoding, so the vocabulary is
 * 256, nothing is out of vocabulary, and decoding is lossless for any valid UTF-8.
 */
public final class ByteTokenizer {
    public static final int VOCAB_SIZE = 256;

    public int vocabSize() {
        return VOCAB_SIZE;
    }

    public int[] encode(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        int[] tokens = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            tokens[i] = bytes[i] & 0xFF;
        }
        return tokens;
    }

    /** Bytes that are not valid UTF-8 (a window cut inside a character) decode to U+FFFD. */
    public String decode(int[] tokens) {
        byte[] bytes = new byte[tokens.length];
        for (int i = 0; i < tokens.length; i++) {
            int t = tokens[i];
            if (t < 0 || t >= VOCAB_SIZE) {
                throw new IllegalArgumentException("token " + t + " at " + i + " is not a byte (0..255)");
            }
            bytes[i] = (byte) t;
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
