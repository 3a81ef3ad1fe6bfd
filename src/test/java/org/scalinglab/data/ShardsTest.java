package org.scalinglab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scalinglab.data.DataFixtures.assertDataError;
import static org.scalinglab.data.DataFixtures.config;
import static org.scalinglab.data.DataFixtures.range;
import static org.scalinglab.data.DataFixtures.writeLlmc;
import static org.scalinglab.data.DataFixtures.writeNanoGpt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.config.DataConfig.DataSource;
import org.scalinglab.io.Hashing;
import org.scalinglab.io.Json;

class ShardsTest {
    @TempDir
    Path dir;

    private static int[] randomTokens(int n, int vocab, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = r.nextInt(vocab);
        }
        return t;
    }

    @Test
    void nanoGptRoundTripAcrossMappingChunks() throws IOException {
        int[] train = randomTokens(30_000, 50257, 1);
        int[] val = randomTokens(3_000, 50257, 2);
        writeNanoGpt(dir.resolve("train.bin"), train);
        writeNanoGpt(dir.resolve("val.bin"), val);
        // 4 KiB mapping chunks: reads and the scan cross 15 chunk boundaries
        try (TokenData d = TokenData.open(config(DataSource.NANOGPT, dir, 50257), dir, 12)) {
            assertEquals(30_000, d.trainTokens());
            assertEquals(3_000, d.valTokens());
            long[] x = new long[30_000 - 1];
            long[] y = new long[30_000 - 1];
            d.train().fill(1, 0, 0, 1, 29_999, x, y); // the one window of the whole file
            for (int i = 0; i < x.length; i++) {
                assertEquals(train[i], x[i]);
                assertEquals(train[i + 1], y[i]);
            }
            String expected = Hashing.sha256(Hashing.sha256(dir.resolve("train.bin")) + "  train.bin\n"
                    + Hashing.sha256(dir.resolve("val.bin")) + "  val.bin\n");
            assertEquals(expected, d.sha256());
            assertEquals("nanogpt", d.provenance().get("source"));
            assertEquals(2, ((List<?>) d.provenance().get("files")).size());
            String json = Json.write(d.provenance()); // plain maps, lists, strings and numbers
            assertTrue(json.contains(d.sha256()) && json.contains("\"split\" : \"val\""), json);
            assertTrue(d.describe().startsWith("nanoGPT shards " + dir), d.describe());
        }
    }

    @Test
    void llmcFileRoundTripAndFingerprint() throws IOException {
        int[] tokens = randomTokens(40_000, 65536, 3);
        Path f = writeLlmc(dir.resolve("tiny_train.bin"), tokens);
        BufferTokens t = Shards.llmc(f, 12);
        assertArrayEquals(tokens, DataFixtures.read(t));
        assertTrue(t.isMapped());
        try (TokenData d = TokenData.open(config(DataSource.LLMC, f, 65536), dir, 12)) {
            assertEquals(40_000, d.trainTokens() + d.valTokens());
            assertEquals(Hashing.sha256(f), d.sha256()); // one file: its own sha256sum
            assertEquals("blocks", ((Map<?, ?>) d.provenance().get("split")).get("kind"));
        }
    }

    @Test
    void llmcFolderSplitsByName() throws IOException {
        writeLlmc(dir.resolve("fineweb_train_000001.bin"), range(5000, 7));
        writeLlmc(dir.resolve("fineweb_train_000002.bin"), range(6000, 7));
        writeLlmc(dir.resolve("fineweb_val_000000.bin"), range(700, 7));
        Files.writeString(dir.resolve("README.txt"), "not a shard");
        try (TokenData d = TokenData.open(config(DataSource.LLMC, dir, 7), dir, 30)) {
            assertEquals(11_000, d.trainTokens());
            assertEquals(700, d.valTokens());
            assertTrue(d.describe().contains("(2 train + 1 val files)"), d.describe());
        }
        Files.delete(dir.resolve("fineweb_val_000000.bin"));
        assertDataError(() -> TokenData.open(config(DataSource.LLMC, dir, 7), dir, 30),
                "llm.c folder " + dir, "0 validation");
    }

    @Test
    void badLlmcHeadersNameTheFile() throws IOException {
        int[] t = range(100, 50);
        Path magic = writeLlmc(dir.resolve("magic.bin"), 12345, 1, 100, t);
        assertDataError(() -> Shards.llmc(magic, 30), "shard " + magic, "bad magic 12345 (expected 20240520)");
        Path version = writeLlmc(dir.resolve("version.bin"), Shards.LLMC_MAGIC, 2, 100, t);
        assertDataError(() -> Shards.llmc(version, 30), "shard " + version, "version 2");
        Path size = writeLlmc(dir.resolve("size.bin"), Shards.LLMC_MAGIC, 1, 101, t);
        assertDataError(() -> Shards.llmc(size, 30), "shard " + size, "101 tokens", "1224 bytes");
        Path tiny = Files.write(dir.resolve("tiny.bin"), new byte[10]);
        assertDataError(() -> Shards.llmc(tiny, 30), "shard " + tiny, "shorter than the 1024-byte");
        // through open(), the same errors reach the user
        assertDataError(() -> TokenData.open(config(DataSource.LLMC, magic, 256)), "shard " + magic, "bad magic");
    }

    @Test
    void tokenOutsideVocabulary() throws IOException {
        int[] t = range(20_000, 100);
        t[12_345] = 300;
        Path f = writeLlmc(dir.resolve("big_vocab.bin"), t);
        assertDataError(() -> TokenData.open(config(DataSource.LLMC, f, 256), dir, 30),
                "shard " + f, "token 300 at position 12345", "vocab_size 256");
        Path n = Files.createDirectory(dir.resolve("nano"));
        writeNanoGpt(n.resolve("train.bin"), range(2000, 10));
        writeNanoGpt(n.resolve("val.bin"), new int[] {1, 2, 10, 3});
        assertDataError(() -> TokenData.open(config(DataSource.NANOGPT, n, 10), dir, 30),
                "shard " + n.resolve("val.bin"), "token 10 at position 2");
    }

    @Test
    void malformedNanoGptFolders() throws IOException {
        writeNanoGpt(dir.resolve("train.bin"), range(2000, 10));
        assertDataError(() -> TokenData.open(config(DataSource.NANOGPT, dir, 10), dir, 30),
                "nanoGPT folder " + dir + " has no val.bin");
        Files.write(dir.resolve("val.bin"), new byte[] {1, 0, 2});
        assertDataError(() -> TokenData.open(config(DataSource.NANOGPT, dir, 10), dir, 30),
                "shard " + dir.resolve("val.bin"), "odd number");
        assertDataError(() -> TokenData.open(config(DataSource.NANOGPT, dir.resolve("train.bin"), 10), dir, 30),
                "is a file");
    }

    @Test
    void missingPath() {
        Path nowhere = dir.resolve("nowhere");
        for (DataSource s : List.of(DataSource.TEXT, DataSource.NANOGPT, DataSource.LLMC)) {
            assertDataError(() -> TokenData.open(config(s, nowhere, 256), dir, 30),
                    "data path " + nowhere + " does not exist");
        }
    }

    @Test
    void closedDataFailsLoudly() throws IOException {
        Path f = writeLlmc(dir.resolve("x.bin"), range(5000, 50));
        TokenData d = TokenData.open(config(DataSource.LLMC, f, 50), dir, 30);
        d.close();
        long[] x = new long[8];
        long[] y = new long[8];
        assertThrows(IllegalStateException.class,
                () -> d.train().fill(1, 0, 0, 1, 8, x, y));
    }
}
