package org.scalinglab.train;

import ai.djl.ndarray.NDArray;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.scalinglab.ScalingLabException;
import org.scalinglab.io.AtomicFiles;
import org.scalinglab.io.Json;

/**
 * {@code checkpoint.bin}: everything a run needs to continue bit for bit: the float32 master
 * parameters, AdamW's two moments, and the loop's state ({@link LoopState}). Layout: the magic
 * {@code SLCKPT01}, a little-endian int32 header length, the header as JSON, then each array's
 * float32 values, little-endian. Written to a temporary file and renamed, so a kill at any moment
 * leaves the previous checkpoint intact.
 */
public final class Checkpoint {
    static final String FILE = "checkpoint.bin";
    private static final byte[] MAGIC = "SLCKPT01".getBytes(StandardCharsets.US_ASCII);

    private Checkpoint() {}

    /** A loaded checkpoint: the loop's state and the arrays, each {@code parameters} float32 values. */
    public record Loaded(LoopState state, ByteBuffer params, ByteBuffer firstMoment, ByteBuffer secondMoment) {}

    static void save(Path file, LoopState state, NDArray params, NDArray m, NDArray v) {
        byte[] header = Json.write(state).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> {
            ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(header.length);
            out.write(MAGIC);
            out.write(len.array());
            out.write(header);
            for (NDArray a : List.of(params, m, v)) {
                ByteBuffer data = a.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                byte[] chunk = new byte[1 << 20];
                while (data.hasRemaining()) {
                    int n = Math.min(chunk.length, data.remaining());
                    data.get(chunk, 0, n);
                    out.write(chunk, 0, n);
                }
            }
        });
    }

    public static Loaded load(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 4).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, head);
            byte[] magic = new byte[MAGIC.length];
            head.flip().get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw corrupt(file, "bad magic");
            }
            int headerLength = head.getInt();
            if (headerLength <= 0 || headerLength > 1 << 20) {
                throw corrupt(file, "bad header length");
            }
            ByteBuffer header = ByteBuffer.allocate(headerLength);
            readFully(ch, header);
            LoopState state = Json.mapper().readValue(header.array(), LoopState.class);
            long bytes = state.parameters * Float.BYTES;
            if (ch.size() != MAGIC.length + 4 + headerLength + 3 * bytes) {
                throw corrupt(file, "size does not match its header");
            }
            List<ByteBuffer> arrays = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(Math.toIntExact(bytes)).order(ByteOrder.nativeOrder());
                readFully(ch, b);
                b.flip();
                arrays.add(b);
            }
            return new Loaded(state, arrays.get(0), arrays.get(1), arrays.get(2));
        } catch (IOException e) {
            throw corrupt(file, e.getMessage());
        }
    }

    public static boolean exists(Path runDir) {
        return Files.isRegularFile(runDir.resolve(FILE));
    }

    private static void readFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static ScalingLabException corrupt(Path file, String why) {
        // a file that cannot be read is data (exit 4), not a folder that cannot be written (5)
        return ScalingLabException.data("checkpoint " + file + " is unreadable (" + why + ")",
                "delete it to restart the run from the beginning");
    }
}
