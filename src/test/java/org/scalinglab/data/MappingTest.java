package org.scalinglab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scalinglab.data.DataFixtures.config;
import static org.scalinglab.data.DataFixtures.writeNanoGpt;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.config.DataConfig.DataSource;

class MappingTest {
    @TempDir
    Path dir;

    /** A 96 MB shard (sparse: zeros cost no disk) opens with the heap barely moving. */
    @Test
    void largeShardIsMappedNotRead() throws IOException {
        long bytes = 96L << 20;
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve("train.bin").toFile(), "rw")) {
            f.setLength(bytes);
            f.seek(bytes - 2);
            f.write(new byte[] {7, 0}); // the last token: 7
        }
        writeNanoGpt(dir.resolve("val.bin"), DataFixtures.range(1000, 8));
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        try (TokenData d = TokenData.open(config(DataSource.NANOGPT, dir, 8), dir, BufferTokens.MAP_CHUNK_BITS)) {
            long after = rt.totalMemory() - rt.freeMemory();
            assertEquals(bytes / 2, d.trainTokens());
            assertTrue(after - before < 32L << 20, "heap grew by " + ((after - before) >> 20) + " MB");
            assertEquals(bytes / 2 - 4, d.train().validStarts(4));
            long[] x = new long[64 * 4];
            long[] y = new long[64 * 4];
            d.train().fill(0, 0, 0, 64, 4, x, y);
            for (long t : x) {
                assertTrue(t == 0 || t == 7);
            }
        }
        // the check of every token reaches the last one, 96 MB in
        DataFixtures.assertDataError(() -> TokenData.open(config(DataSource.NANOGPT, dir, 7), dir, 30),
                "token 7 at position " + (bytes / 2 - 1));
    }
}
