package org.scalinglab.io;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;

/**
 * An exclusive lock on a results folder: an OS file lock ({@code FileChannel.tryLock}) on a file in
 * it, which the OS releases when the holding process dies, however it dies, so a killed sweep never
 * leaves a stale lock. The file names its holder (pid, host, time) for the error of the next one.
 * A sweep locks {@code results/<sweep>/.lock}; each worker locks its run folder's {@code .lock}.
 *
 * <p>POSIX locks belong to the process, and closing any channel of the file releases them, so this
 * JVM keeps a set of what it holds, never opens those files a second time, and opens and closes
 * lock files one at a time.
 *
 * <p>The lock is two byte ranges of the file. The holder takes both: {@code MAIN} with a try, then
 * {@code PROBE}, waiting if need be. {@link #isHeld} only takes a shared lock on {@code PROBE} for
 * an instant, so asking (runs.csv asks about every run, often) can never make a worker's try on
 * {@code MAIN} fail; at worst the worker waits those microseconds for {@code PROBE}. The prober
 * opens the file read-only and writes nothing.
 */
public final class FolderLock implements AutoCloseable {
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
    /** Guards every open and close of a lock file in this JVM (a close drops all of its locks on the file). */
    private static final Object FILES = new Object();
    private static final long MAIN = 0;
    private static final long PROBE = 1;

    private final Path file;
    private final FileChannel channel;
    private final FileLock main;
    private final FileLock probe;

    private FolderLock(Path file, FileChannel channel, FileLock main, FileLock probe) {
        this.file = file;
        this.channel = channel;
        this.main = main;
        this.probe = probe;
    }

    /** The lock file. */
    public Path file() {
        return file;
    }

    /** Takes the lock, or fails with exit code 8 naming the holder. */
    public static FolderLock acquire(Path file, String what) {
        FolderLock l = tryAcquire(file);
        if (l == null) {
            throw new ScalingLabException(ExitCode.LOCKED, what + " is locked by another process ("
                    + holder(file) + ")", "wait for it to finish, or stop it; a killed process releases the lock itself");
        }
        return l;
    }

    /** Takes the lock, or returns null when another process (or this one) holds it. */
    public static FolderLock tryAcquire(Path file) {
        Path key = file.toAbsolutePath().normalize();
        synchronized (FILES) {
            if (!HELD.add(key)) {
                return null;
            }
            FileChannel ch = null;
            try {
                AtomicFiles.ensureWritableDirectory(key.getParent(), "check that the results folder is writable");
                ch = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
                FileLock main = ch.tryLock(MAIN, 1, false);
                if (main == null) {
                    ch.close();
                    HELD.remove(key);
                    return null;
                }
                FileLock probe = ch.lock(PROBE, 1, false); // waits only while another process probes
                ch.truncate(0);
                ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + " on " + host() + " since "
                        + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8)));
                ch.force(false);
                return new FolderLock(key, ch, main, probe);
            } catch (IOException | OverlappingFileLockException | ScalingLabException e) {
                HELD.remove(key);
                if (ch != null) {
                    try {
                        ch.close();
                    } catch (IOException ignored) {
                        // the lock was not taken; nothing to release
                    }
                }
                if (e instanceof OverlappingFileLockException) {
                    return null;
                }
                if (e instanceof ScalingLabException sle) {
                    throw sle;
                }
                throw ScalingLabException.output("cannot lock " + key + ": " + e.getMessage(),
                        "check that the results folder is writable", e);
            }
        }
    }

    /**
     * Whether some process holds the lock (this one included). Takes nothing a holder needs and
     * writes nothing: it opens the file read-only and tries a shared lock on the probe range.
     */
    public static boolean isHeld(Path file) {
        Path key = file.toAbsolutePath().normalize();
        synchronized (FILES) {
            if (HELD.contains(key)) {
                return true;
            }
            if (!Files.isRegularFile(key)) {
                return false;
            }
            try (FileChannel ch = FileChannel.open(key, StandardOpenOption.READ)) {
                FileLock shared = ch.tryLock(PROBE, 1, true);
                if (shared == null) {
                    return true;
                }
                shared.release();
                return false;
            } catch (OverlappingFileLockException e) {
                return true;
            } catch (IOException e) {
                return false; // unreadable: nobody can be holding it through this folder
            }
        }
    }

    /** What the lock file says of its holder. */
    static String holder(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? "holder unknown" : s;
        } catch (IOException e) {
            return "holder unknown";
        }
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown host";
        }
    }

    @Override
    public void close() {
        synchronized (FILES) {
            try {
                main.release();
                probe.release();
                channel.close();
            } catch (IOException e) {
                // the OS releases it when the process ends
            } finally {
                HELD.remove(file);
            }
        }
    }
}
