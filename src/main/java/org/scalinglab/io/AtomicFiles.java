package org.scalinglab.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.scalinglab.ScalingLabException;

/**
 * Writes a file so that readers see either the old content or the new, never a half-written one:
 * write a temporary sibling, force it to disk, then rename it over the target.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Produces a file's bytes into a stream. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void writeString(Path target, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    public static void write(Path target, Writer writer) {
        write(target, writer, false);
    }

    /**
     * As {@link #write(Path, Writer)}, for a file that several processes may write at once with the
     * same content (a shared cache that no folder lock guards): each writes its own temporary file, so
     * one cannot truncate or move away another's half-written file.
     */
    public static void writeShared(Path target, Writer writer) {
        write(target, writer, true);
    }

    /**
     * Refuses a target that is not a regular file or nothing: the rename would replace it (a device
     * node, a FIFO another program reads, a folder's entry). Commands call it on --out before their
     * work, and every write calls it again.
     */
    public static void requireFileTarget(Path target) {
        String kind = notRegular(target);
        if (kind != null) {
            throw ScalingLabException.output("cannot write " + target + ": it is " + kind + ", not a regular file",
                    "give the path of a file (new, or one to replace)", null);
        }
    }

    private static void write(Path target, Writer writer, boolean shared) {
        requireFileTarget(target);
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = dir.resolve("." + target.getFileName() + (shared ? "." + ProcessHandle.current().pid() + "."
                + Thread.currentThread().getId() : "") + ".tmp");
        try {
            Files.createDirectories(dir);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.writeTo(out);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true); // on disk before the rename makes it visible
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the original error is the one worth reporting
            }
            throw ScalingLabException.output(
                    "cannot write " + target + ": " + describe(e),
                    "check that the folder exists, is writable and has free space",
                    e);
        }
    }

    /**
     * What {@code p} is when it exists and is not a regular file (nor a link to one): "a folder", "a
     * character device", "a FIFO" ...; null for a regular file or nothing. Writers replace only regular
     * files, and readers read only them (a FIFO would block, a device never end).
     */
    public static String notRegular(Path p) {
        if (Files.isRegularFile(p) || !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        if (Files.isDirectory(p)) {
            return "a folder";
        }
        if (Files.isSymbolicLink(p) && !Files.exists(p)) {
            return null; // a dangling link: nothing is lost when a file takes its place
        }
        try {
            int type = (Integer) Files.getAttribute(p, "unix:mode") & 0170000;
            return switch (type) {
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0010000 -> "a FIFO (named pipe)";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a special file";
        }
    }

    /** Creates a folder (and parents), failing with a one-line error if that is impossible. */
    public static Path ensureWritableDirectory(Path dir) {
        return ensureWritableDirectory(dir, "choose a writable location with --out");
    }

    /** As {@link #ensureWritableDirectory(Path)}, with a hint for commands that have no --out. */
    public static Path ensureWritableDirectory(Path dir, String hint) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw ScalingLabException.output("cannot create folder " + dir + ": " + describe(e), hint, e);
        }
        if (!Files.isWritable(dir)) {
            throw ScalingLabException.output("folder " + dir + " is not writable", hint, null);
        }
        return dir;
    }

    static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }
}
