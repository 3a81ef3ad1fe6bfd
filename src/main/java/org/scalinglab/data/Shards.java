package org.scalinglab.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.scalinglab.ScalingLabException;

/**
 * Pre-tokenized shards, memory-mapped. nanoGPT: little-endian uint16 tokens, no header. llm.c: a header
 * of 256 little-endian int32 ([0] magic 20240520, [1] version, 1 = uint16 tokens, [2] token count),
 * then the tokens.
 */
final class Shards {
    static final int LLMC_MAGIC = 20240520;
    static final int LLMC_VERSION = 1;
    static final int LLMC_HEADER_BYTES = 256 * 4;

    private Shards() {}

    static BufferTokens nanoGpt(Path file, int chunkBits) {
        long size = size(file);
        if (size % 2 != 0) {
            throw bad(file, size + " bytes, an odd number: not uint16 tokens");
        }
        return map(file, 0, chunkBits);
    }

    static BufferTokens llmc(Path file, int chunkBits) {
        long size = size(file);
        if (size < LLMC_HEADER_BYTES) {
            throw bad(file, size + " bytes, shorter than the 1024-byte llm.c header");
        }
        ByteBuffer header = ByteBuffer.allocate(LLMC_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (header.hasRemaining() && ch.read(header) > 0) {
                // a file read may return fewer bytes than asked
            }
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        int magic = header.getInt(0);
        int version = header.getInt(4);
        long count = header.getInt(8);
        if (magic != LLMC_MAGIC) {
            throw bad(file, "bad magic " + magic + " (expected " + LLMC_MAGIC + "): not an llm.c shard");
        }
        if (version != LLMC_VERSION) {
            throw bad(file, "llm.c version " + version + " is not supported (only version 1, uint16 tokens"
                    + (version == 2 ? "; version 2 holds uint32 tokens" : "") + ")");
        }
        if (count < 0 || size != LLMC_HEADER_BYTES + 2 * count) {
            throw bad(file, "header says " + count + " tokens (" + (LLMC_HEADER_BYTES + 2 * count)
                    + " bytes) but the file has " + size + " bytes: truncated or not an llm.c shard");
        }
        return map(file, LLMC_HEADER_BYTES, chunkBits);
    }

    /** The {@code .bin} files directly in an llm.c folder, by name. */
    static List<Path> llmcFolder(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".bin") && Files.isRegularFile(p))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw unreadable(folder, e);
        }
    }

    private static BufferTokens map(Path file, long header, int chunkBits) {
        try {
            return BufferTokens.map(file, header, 2, chunkBits);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    static ScalingLabException bad(Path file, String problem) {
        return ScalingLabException.data("shard " + file + ": " + problem, null);
    }

    static ScalingLabException unreadable(Path file, IOException e) {
        return ScalingLabException.data("cannot read " + file + ": " + e, null);
    }
}
