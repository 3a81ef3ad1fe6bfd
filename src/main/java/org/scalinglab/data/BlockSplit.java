package org.scalinglab.data;

import java.util.ArrayList;
import java.util.List;

/**
 * The deterministic train/validation split of one token stream. The stream is cut into blocks of
 * {@code blockTokens}; block i goes to validation iff floor((i+1) f) > floor(i f), which spreads
 * floor(n f) validation blocks evenly over the n blocks (f = 0.05: blocks 19, 39, 59, ...). Runs of
 * consecutive blocks of one side form one segment, and windows never leave a segment, so the two
 * sides share no token position.
 */
final class BlockSplit {
    /** Below this many blocks, blocks shrink so that the validation side still spreads over the stream. */
    static final int MIN_BLOCKS = 20;
    /** The smallest block, the config's floor of split_block_tokens. */
    static final long MIN_BLOCK_TOKENS = 64;

    final long length;
    final long blockTokens;
    final long blocks;
    final long valBlocks;
    /** Sorted, disjoint [start, end) pairs. */
    final long[] trainRanges;
    final long[] valRanges;

    private BlockSplit(long length, long blockTokens, double valFraction) {
        this.length = length;
        this.blockTokens = blockTokens;
        this.blocks = (length + blockTokens - 1) / blockTokens;
        List<long[]> train = new ArrayList<>();
        List<long[]> val = new ArrayList<>();
        long vals = 0;
        for (long i = 0; i < blocks; i++) {
            boolean isVal = Math.floor((i + 1) * valFraction) > Math.floor(i * valFraction);
            vals += isVal ? 1 : 0;
            long start = i * blockTokens;
            long end = Math.min(length, start + blockTokens);
            List<long[]> side = isVal ? val : train;
            if (!side.isEmpty() && side.get(side.size() - 1)[1] == start) {
                side.get(side.size() - 1)[1] = end;
            } else {
                side.add(new long[] {start, end});
            }
        }
        this.valBlocks = vals;
        this.trainRanges = flatten(train);
        this.valRanges = flatten(val);
    }

    /**
     * Splits a stream of {@code length} tokens. A stream shorter than max(20, 1/f) blocks of
     * {@code splitBlockTokens} gets blocks of length / max(20, 1/f) tokens (at least 64), so that it still
     * has a validation side; one too short even for that has none, which {@link TokenData} reports.
     */
    static BlockSplit of(long length, long splitBlockTokens, double valFraction) {
        long minBlocks = Math.max(MIN_BLOCKS, (long) Math.ceil(1 / valFraction));
        long block = splitBlockTokens;
        if (length < minBlocks * splitBlockTokens) {
            block = Math.min(splitBlockTokens, Math.max(MIN_BLOCK_TOKENS, length / minBlocks));
        }
        return new BlockSplit(length, block, valFraction);
    }

    long trainTokens() {
        return covered(trainRanges);
    }

    long valTokens() {
        return covered(valRanges);
    }

    static List<Segment> segments(BufferTokens tokens, long[] ranges) {
        List<Segment> out = new ArrayList<>();
        for (int r = 0; r < ranges.length; r += 2) {
            out.add(new Segment(tokens, ranges[r], ranges[r + 1] - ranges[r]));
        }
        return out;
    }

    private static long covered(long[] ranges) {
        long n = 0;
        for (int r = 0; r < ranges.length; r += 2) {
            n += ranges[r + 1] - ranges[r];
        }
        return n;
    }

    private static long[] flatten(List<long[]> ranges) {
        long[] out = new long[2 * ranges.size()];
        for (int r = 0; r < ranges.size(); r++) {
            out[2 * r] = ranges.get(r)[0];
            out[2 * r + 1] = ranges.get(r)[1];
        }
        return out;
    }
}
