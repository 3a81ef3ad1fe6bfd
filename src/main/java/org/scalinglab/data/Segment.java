package org.scalinglab.data;

/** Tokens {@code [start, start + length)} of one sequence: a window never leaves its segment. */
record Segment(BufferTokens tokens, long start, long length) {
    long end() {
        return start + length;
    }
}
