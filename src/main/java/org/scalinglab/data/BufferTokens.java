package org.scalinglab.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Tokens stored as 1-byte or 2-byte little-endian unsigned integers after an optional header, either
 * in a heap array or memory-mapped from a file in chunks (a {@code MappedByteBuffer} holds at most
 * 2 GiB, so multi-GB shards take several). A mapped file is never copied into the heap: the OS pages
 * it in as windows are read.
 */
final class BufferTokens implements TokenSequence {
    /** 1 GiB chunks: even, so a 2-byte token never straddles two of them. */
    static final int MAP_CHUNK_BITS = 30;
    private static final int SCAN_SLICE = 1 << 18;

    private final String name;
    private final int chunkBits;
    private final long header;
    private final int width;
    private final long length;
    private final boolean mapped;
    private volatile ByteBuffer[] chunks;

    private BufferTokens(String name, ByteBuffer[] chunks, int chunkBits, long header, int width, long length,
            boolean mapped) {
        this.name = name;
        this.chunks = chunks;
        this.chunkBits = chunkBits;
        this.header = header;
        this.width = width;
        this.length = length;
        this.mapped = mapped;
    }

    /** One-byte tokens held in the heap. */
    static BufferTokens ofBytes(String name, byte[] tokens) {
        return new BufferTokens(name, new ByteBuffer[] {ByteBuffer.wrap(tokens)}, 31, 0, 1, tokens.length, false);
    }

    /**
     * Maps {@code file} read-only: {@code header} bytes, then tokens of {@code width} bytes up to the end
     * of the file. {@code chunkBits} sets the mapping chunk (2^chunkBits bytes; small only in tests).
     */
    static BufferTokens map(Path file, long header, int width, int chunkBits) throws IOException {
        if (width != 1 && width != 2 || chunkBits < 4 || chunkBits > 30 || header % width != 0) {
            throw new IllegalArgumentException("width " + width + ", chunk 2^" + chunkBits + ", header " + header);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long chunkBytes = 1L << chunkBits;
            int n = (int) ((size + chunkBytes - 1) >>> chunkBits);
            ByteBuffer[] chunks = new ByteBuffer[n];
            for (int c = 0; c < n; c++) {
                long pos = (long) c << chunkBits;
                // the mapping outlives the channel: closing the channel does not unmap
                chunks[c] = ch.map(FileChannel.MapMode.READ_ONLY, pos, Math.min(chunkBytes, size - pos))
                        .order(ByteOrder.LITTLE_ENDIAN);
            }
            long length = Math.max(0, (size - header) / width);
            return new BufferTokens(file.toString(), chunks, chunkBits, header, width, length, true);
        }
    }

    @Override
    public long length() {
        return length;
    }

    boolean isMapped() {
        return mapped;
    }

    String name() {
        return name;
    }

    @Override
    public void read(long start, int[] dst, int offset, int count) {
        ByteBuffer[] cs = open();
        check(start, count);
        for (int i = 0; i < count; i++) {
            dst[offset + i] = token(cs, start + i);
        }
    }

    /** As {@link #read} into a {@code long[]}: the trainer's batches, without an intermediate array. */
    void readLongs(long start, long[] dst, int offset, int count) {
        ByteBuffer[] cs = open();
        check(start, count);
        for (int i = 0; i < count; i++) {
            dst[offset + i] = token(cs, start + i);
        }
    }

    int token(long index) {
        check(index, 1);
        return token(open(), index);
    }

    private int token(ByteBuffer[] cs, long index) {
        long b = header + index * width;
        ByteBuffer c = cs[(int) (b >>> chunkBits)];
        int off = (int) (b & ((1L << chunkBits) - 1));
        return width == 1 ? c.get(off) & 0xFF : c.getShort(off) & 0xFFFF;
    }

    private void check(long start, int count) {
        if (start < 0 || count < 0 || start + count > length) {
            throw new IndexOutOfBoundsException("tokens [" + start + ", " + (start + count) + ") of " + length);
        }
    }

    private ByteBuffer[] open() {
        ByteBuffer[] cs = chunks;
        if (cs == null) {
            throw new IllegalStateException(name + " is closed");
        }
        return cs;
    }

    /**
     * One pass over every byte, header included: feeds them to {@code md}; if {@code utf8} is given,
     * checks they are UTF-8 text; checks each token is below {@code vocab}; and adds the tokens at
     * positions inside {@code trainRanges} (sorted, disjoint [start, end) pairs) to {@code counts}.
     *
     * @return the index of the first token {@code >= vocab}, or -1 when there is none
     */
    long scan(MessageDigest md, Utf8 utf8, int vocab, long[] trainRanges, long[] counts) {
        ByteBuffer[] cs = open();
        int range = 0;
        int ranges = trainRanges.length / 2;
        long i = 0;
        for (int c = 0; c < cs.length; c++) {
            ByteBuffer chunk = cs[c];
            long chunkStart = (long) c << chunkBits;
            for (int p = 0; p < chunk.limit(); p += SCAN_SLICE) {
                int len = Math.min(SCAN_SLICE, chunk.limit() - p);
                ByteBuffer slice = chunk.slice(p, len);
                md.update(slice.duplicate());
                if (utf8 != null) {
                    utf8.feed(slice.duplicate());
                }
                long end = Math.min(length, Math.max(0, (chunkStart + p + len - header) / width));
                while (i < end) {
                    while (range < ranges && i >= trainRanges[2 * range + 1]) {
                        range++;
                    }
                    boolean train = range < ranges && i >= trainRanges[2 * range];
                    long stop = range == ranges ? end : Math.min(end, trainRanges[2 * range + (train ? 1 : 0)]);
                    // a stretch of one side, within one chunk: a tight loop
                    for (int off = (int) (header + i * width - chunkStart); i < stop; i++, off += width) {
                        int t = width == 1 ? chunk.get(off) & 0xFF : chunk.getShort(off) & 0xFFFF;
                        if (t >= vocab) {
                            return i;
                        }
                        if (train) {
                            counts[t]++;
                        }
                    }
                }
            }
        }
        return -1;
    }

    /**
     * Drops the buffers. Java 17 has no supported way to unmap a file, so the mapping itself goes when
     * the buffers are garbage-collected; reading after close fails instead of touching freed memory.
     */
    void close() {
        chunks = null;
    }
}
