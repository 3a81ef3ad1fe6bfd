package org.scalinglab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scalinglab.data.DataFixtures.assertDataError;
import static org.scalinglab.data.DataFixtures.range;
import static org.scalinglab.data.DataFixtures.writeLlmc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.config.DataConfig;
import org.scalinglab.config.DataConfig.DataSource;

class SplitAndSamplerTest {
    @TempDir
    Path dir;

    @Test
    void blocksCoverTheStreamOnceWithEvenlySpreadValidation() {
        long length = 10_000_000;
        BlockSplit s = BlockSplit.of(length, 65536, 0.05);
        assertEquals(65536, s.blockTokens);
        assertEquals(153, s.blocks); // ceil(1e7 / 65536)
        assertEquals(7, s.valBlocks); // floor(153 * 0.05)
        BitSet covered = new BitSet();
        long[][] sides = {s.trainRanges, s.valRanges};
        long total = 0;
        for (long[] ranges : sides) {
            for (int r = 0; r < ranges.length; r += 2) {
                assertTrue(ranges[r] < ranges[r + 1]);
                assertTrue(covered.get((int) ranges[r], (int) ranges[r + 1]).isEmpty(), "overlap at " + ranges[r]);
                covered.set((int) ranges[r], (int) ranges[r + 1]);
                total += ranges[r + 1] - ranges[r];
            }
        }
        assertEquals(length, total);
        assertEquals(length, covered.cardinality());
        // validation blocks 19, 39, ..., 139: single blocks, evenly spread
        for (int v = 0; v < s.valRanges.length; v += 2) {
            assertEquals((20L * (v / 2) + 19) * 65536, s.valRanges[v]);
            assertEquals(65536, s.valRanges[v + 1] - s.valRanges[v]);
        }
        assertEquals(7 * 65536, s.valTokens());
        assertEquals(8, s.trainRanges.length / 2); // runs of train blocks between them merge
    }

    @Test
    void shortStreamsGetSmallerBlocks() {
        BlockSplit s = BlockSplit.of(100_000, 65536, 0.05);
        assertEquals(5000, s.blockTokens); // 100000 / 20
        assertEquals(1, s.valBlocks);
        assertEquals(5000, s.valTokens());
        BlockSplit rare = BlockSplit.of(100_000, 65536, 0.01);
        assertEquals(1000, rare.blockTokens); // 100000 / (1 / 0.01)
        assertEquals(1, rare.valBlocks);
        BlockSplit tiny = BlockSplit.of(100, 65536, 0.05);
        assertEquals(64, tiny.blockTokens);
        assertEquals(0, tiny.valBlocks);
    }

    /** Tokens equal their positions, so a window tells where it came from. */
    private TokenData positions(int n) throws IOException {
        Path f = writeLlmc(dir.resolve("positions.bin"), range(n, 65536));
        DataConfig c = new DataConfig(DataSource.LLMC, f.toString(), 65536, 0.1, 2048, DataFixtures.DEFAULT_MARKOV);
        return TokenData.open(c, dir, 30);
    }

    @Test
    void trainAndValidationWindowsShareNoPosition() throws IOException {
        try (TokenData d = positions(60_000)) {
            // 30 blocks of 2048, the last 608 long; blocks 9, 19 and 29 validate
            assertEquals(2 * 2048 + 608, d.valTokens());
            assertEquals(60_000 - d.valTokens(), d.trainTokens());
            assertEquals(2.5, d.epochs(d.trainTokens() * 5 / 2), 1e-12);
            int context = 64;
            int rows = 512;
            long[] x = new long[rows * context];
            long[] y = new long[rows * context];
            BitSet trainSeen = new BitSet();
            BitSet valSeen = new BitSet();
            for (int i = 0; i < 40; i++) {
                d.train().fill(9, i, 0, rows, context, x, y);
                mark(trainSeen, x, y, rows, context);
                d.val().fill(9, 0, i, rows, context, x, y);
                mark(valSeen, x, y, rows, context);
            }
            assertFalse(trainSeen.intersects(valSeen));
            assertEquals(d.valTokens(), valSeen.cardinality()); // every validation position reached
            assertTrue(trainSeen.cardinality() > 0.99 * d.trainTokens());
        }
    }

    private static void mark(BitSet seen, long[] x, long[] y, int rows, int context) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < context; j++) {
                int i = r * context + j;
                assertEquals(x[i] + 1, y[i], "consecutive tokens"); // positions: a window never jumps
                seen.set((int) x[i]);
                seen.set((int) y[i]);
            }
        }
    }

    @Test
    void samplingIsAFunctionOfSeedStreamAndIndex() throws IOException {
        try (TokenData d = positions(60_000)) {
            int rows = 8;
            int context = 32;
            long[] a = new long[rows * context];
            long[] at = new long[rows * context];
            long[] b = new long[rows * context];
            long[] bt = new long[rows * context];
            d.train().fill(1234, 7, 2, rows, context, a, at);
            d.train().fill(1234, 3, 0, rows, context, b, bt); // other calls in between change nothing
            d.val().fill(99, 0, 0, rows, 16, b, bt);
            d.train().fill(1234, 7, 2, rows, context, b, bt);
            assertArrayEquals(a, b);
            assertArrayEquals(at, bt);
            for (int i = 0; i < a.length; i++) {
                if ((i + 1) % context != 0) {
                    assertEquals(a[i + 1], at[i], "targets are the inputs shifted by one");
                }
            }
            d.train().fill(1234, 7, 3, rows, context, b, bt);
            assertFalse(Arrays.equals(a, b), "another micro-batch index");
            d.train().fill(1234, 8, 2, rows, context, b, bt);
            assertFalse(Arrays.equals(a, b), "another step");
            d.train().fill(1235, 7, 2, rows, context, b, bt);
            assertFalse(Arrays.equals(a, b), "another seed");
        }
    }

    @Test
    void everyValidStartIsEquallyLikely() {
        byte[] bytes = new byte[30];
        for (int i = 0; i < 30; i++) {
            bytes[i] = (byte) i;
        }
        BufferTokens p = BufferTokens.ofBytes("p", bytes);
        // segments of 10, 2 (too short for context 3: no start) and 5 tokens: 7 + 0 + 2 starts
        WindowSampler s = new WindowSampler("test",
                List.of(new Segment(p, 0, 10), new Segment(p, 10, 2), new Segment(p, 20, 5)));
        assertEquals(9, s.validStarts(3));
        int rows = 9000;
        long[] x = new long[rows * 3];
        long[] y = new long[rows * 3];
        s.fill(5, 0, 0, rows, 3, x, y);
        int[] starts = new int[30];
        for (int r = 0; r < rows; r++) {
            starts[(int) x[r * 3]]++;
        }
        for (int i = 0; i < 30; i++) {
            boolean valid = i <= 6 || i == 20 || i == 21;
            if (valid) {
                assertTrue(Math.abs(starts[i] - 1000) < 150, "start " + i + " drawn " + starts[i] + " times");
            } else {
                assertEquals(0, starts[i], "start " + i);
            }
        }
    }

    @Test
    void splitTooSmallForTheContext() throws IOException {
        try (TokenData d = positions(60_000)) {
            assertEquals(d.valTokens() - 3 * 100, d.val().validStarts(100)); // three segments
            assertEquals(d.trainTokens() - 3 * 100, d.train().validStarts(100)); // between and after them
            assertDataError(() -> d.val().validStarts(2048), "validation split of llm.c shard", "context 2048");
        }
    }
}
