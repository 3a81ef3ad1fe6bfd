package org.scalinglab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scalinglab.data.DataFixtures.assertDataError;
import static org.scalinglab.data.DataFixtures.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.config.DataConfig.DataSource;
import org.scalinglab.io.Hashing;

class TextDataTest {
    @TempDir
    Path dir;

    @Test
    void textFileIsItsUtf8Bytes() throws IOException {
        String text = "héllo wörld, ".repeat(4000);
        Path f = Files.writeString(dir.resolve("a.txt"), text);
        try (TokenData d = TokenData.open(config(DataSource.TEXT, f, 256), dir, 30)) {
            long n = text.getBytes(StandardCharsets.UTF_8).length;
            assertEquals(n, d.trainTokens() + d.valTokens());
            assertEquals(Hashing.sha256(f), d.sha256());
            assertEquals(Hashing.sha256(text), d.sha256());
            long[] x = new long[13];
            long[] y = new long[13];
            d.train().fill(3, 0, 0, 1, 13, x, y);
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            boolean found = false;
            for (int i = 0; i + 13 <= bytes.length && !found; i++) {
                found = true;
                for (int j = 0; j < 13 && found; j++) {
                    found = (bytes[i + j] & 0xFF) == x[j];
                }
            }
            assertTrue(found, "the window is 13 consecutive bytes of the file");
        }
    }

    @Test
    void binaryFileIsRefused() throws IOException {
        byte[] b = new byte[5000];
        b[4000] = (byte) 0xFF;
        Arrays.fill(b, 0, 4000, (byte) 'a');
        Arrays.fill(b, 4001, 5000, (byte) 'b');
        Path f = Files.write(dir.resolve("data.bin"), b);
        assertDataError(() -> TokenData.open(config(DataSource.TEXT, f, 256), dir, 30),
                "text file " + f + " is not UTF-8 text", "offset 4000");
    }

    @Test
    void folderIsJoinedSkippingNonTextAndCached() throws IOException {
        Path root = Files.createDirectory(dir.resolve("corpus"));
        Path cache = dir.resolve("cache");
        Files.createDirectories(root.resolve("sub"));
        Files.createDirectories(root.resolve(".git"));
        String a = "alpha ".repeat(1000);
        String b = "beta\n".repeat(1000);
        Files.writeString(root.resolve("b.txt"), a); // name order: b.txt, sub/a.py
        Files.writeString(root.resolve("sub/a.py"), b);
        Files.write(root.resolve("image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0});
        Files.write(root.resolve("nul.txt"), new byte[] {'a', 0, 'b'});
        Files.writeString(root.resolve(".hidden"), "secret");
        Files.writeString(root.resolve(".git/config"), "[core]");
        try (TokenData d = TokenData.open(config(DataSource.TEXT, root, 256), cache, 30)) {
            String joined = a + "\n" + b;
            assertEquals(joined.length(), d.trainTokens() + d.valTokens());
            assertEquals(Hashing.sha256(joined), d.sha256());
            assertEquals(2, d.provenance().get("files"));
            assertEquals(2, d.provenance().get("files_skipped"));
            assertEquals(false, d.provenance().get("cache_hit"));
            assertTrue(d.describe().startsWith("text folder " + root + " (2 files, 2 skipped"), d.describe());
        }
        List<Path> cached = list(cache);
        assertEquals(2, cached.size(), cached.toString()); // the .bin and its .json, no temporary left
        try (TokenData d = TokenData.open(config(DataSource.TEXT, root, 256), cache, 30)) {
            assertEquals(true, d.provenance().get("cache_hit"));
        }
        Files.writeString(root.resolve("sub/a.py"), b + "gamma\n");
        Files.setLastModifiedTime(root.resolve("sub/a.py"), FileTime.fromMillis(1_000_000));
        try (TokenData d = TokenData.open(config(DataSource.TEXT, root, 256), cache, 30)) {
            assertEquals(false, d.provenance().get("cache_hit"));
            assertNotEquals(Hashing.sha256(a + "\n" + b), d.sha256());
        }
        assertEquals(4, list(cache).size());
    }

    @Test
    void folderWithoutText() throws IOException {
        Path root = Files.createDirectory(dir.resolve("bin"));
        Files.write(root.resolve("x"), new byte[] {0, 1, 2});
        assertDataError(() -> TokenData.open(config(DataSource.TEXT, root, 256), dir.resolve("c"), 30),
                "text folder " + root + " holds no UTF-8 text files (1 other files skipped)");
    }

    @Test
    void tooShortToSplit() throws IOException {
        Path f = Files.writeString(dir.resolve("short.txt"), "tiny");
        assertDataError(() -> TokenData.open(config(DataSource.TEXT, f, 256), dir, 30),
                "text file " + f + " has 4 tokens: too few to split");
    }

    /** Blocks here are 40000 / 20 = 2000 tokens, a multiple of the pattern, so the train side has its mix. */
    @Test
    void unigramEntropyOfKnownStreams() throws IOException {
        Path uniform = Files.writeString(dir.resolve("u.txt"), "abcd".repeat(10_000));
        try (TokenData d = TokenData.open(config(DataSource.TEXT, uniform, 256), dir, 30)) {
            assertEquals(38_000, d.trainTokens());
            assertEquals(Math.log(4), d.unigramEntropy(), 1e-12);
        }
        Path skewed = Files.writeString(dir.resolve("s.txt"), "aaab".repeat(10_000));
        try (TokenData d = TokenData.open(config(DataSource.TEXT, skewed, 256), dir, 30)) {
            double expected = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
            assertEquals(expected, d.unigramEntropy(), 1e-12);
            assertEquals(expected, (double) d.provenance().get("unigram_entropy_nats"), 1e-12);
            assertFalse(d.describe().isEmpty());
        }
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.collect(Collectors.toList());
        }
    }

    /** A FIFO given as data.path used to hang the run on its first read; now it is refused at once. */
    @org.junit.jupiter.api.Timeout(30)
    @Test
    void aFifoOrOtherNonRegularFileIsRefused() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo is not available");
        assertDataError(() -> TokenData.open(config(DataSource.TEXT, fifo, 256), dir, 30),
                "is not a regular file or a folder");
        assertDataError(() -> TokenData.open(config(DataSource.LLMC, fifo, 256), dir, 30),
                "is not a regular file or a folder");
        assertDataError(() -> TokenData.open(config(DataSource.TEXT, Path.of("/dev/zero"), 256), dir, 30),
                "is not a regular file or a folder");
        Path nano = Files.createDirectories(dir.resolve("nano"));
        Files.write(nano.resolve("val.bin"), new byte[4096]);
        Files.move(fifo, nano.resolve("train.bin"));
        assertDataError(() -> TokenData.open(config(DataSource.NANOGPT, nano, 256), dir, 30),
                "train.bin is not a regular file");
    }
}
