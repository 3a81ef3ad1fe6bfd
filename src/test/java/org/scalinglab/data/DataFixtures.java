package org.scalinglab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.function.Executable;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.DataConfig;
import org.scalinglab.config.DataConfig.DataSource;
import org.scalinglab.config.DataConfig.MarkovConfig;

/** Shard writers and config builders shared by the data tests. */
final class DataFixtures {
    /** run-defaults.yaml's data.markov. */
    static final MarkovConfig DEFAULT_MARKOV = new MarkovConfig(32, 2, 4, 1.0, 0.0, 0.01, 2_000_000, 7);

    private DataFixtures() {}

    static DataConfig config(DataSource source, Path path, int vocab) {
        return new DataConfig(source, path == null ? null : path.toString(), vocab, 0.05, 65536, DEFAULT_MARKOV);
    }

    static DataConfig markov(MarkovConfig m) {
        return new DataConfig(DataSource.MARKOV, null, m.vocab(), 0.05, 65536, m);
    }

    static byte[] uint16(int[] tokens) {
        ByteBuffer b = ByteBuffer.allocate(2 * tokens.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int t : tokens) {
            b.putShort((short) t);
        }
        return b.array();
    }

    static Path writeNanoGpt(Path file, int[] tokens) throws IOException {
        return Files.write(file, uint16(tokens));
    }

    /** An llm.c shard with the given header fields (the real ones: magic 20240520, version 1, tokens.length). */
    static Path writeLlmc(Path file, int magic, int version, int count, int[] tokens) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0, magic).putInt(4, version).putInt(8, count);
        byte[] body = uint16(tokens);
        byte[] all = new byte[1024 + body.length];
        System.arraycopy(h.array(), 0, all, 0, 1024);
        System.arraycopy(body, 0, all, 1024, body.length);
        return Files.write(file, all);
    }

    static Path writeLlmc(Path file, int[] tokens) throws IOException {
        return writeLlmc(file, Shards.LLMC_MAGIC, 1, tokens.length, tokens);
    }

    static int[] range(int n, int modulo) {
        int[] t = new int[n];
        for (int i = 0; i < n; i++) {
            t[i] = i % modulo;
        }
        return t;
    }

    static int[] read(TokenSequence s) {
        int[] out = new int[(int) s.length()];
        s.read(0, out, 0, out.length);
        return out;
    }

    /** Asserts a one-line DATA error whose message contains every fragment. */
    static ScalingLabException assertDataError(Executable open, String... fragments) {
        ScalingLabException e = assertThrows(ScalingLabException.class, open);
        assertEquals(ExitCode.DATA, e.exitCode());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + e.getMessage() + "' should contain '" + f + "'");
        }
        return e;
    }
}
