package org.scalinglab.data;

/** Random access to a sequence of token ids. */
public interface TokenSequence {
    /** Number of tokens. */
    long length();

    /** Copies tokens {@code [start, start + count)} into {@code dst[offset ..]}. */
    void read(long start, int[] dst, int offset, int count);
}
