package org.scalinglab.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;

/**
 * The lock in one process and against a prober in another; SweepProcessTest and TrainCommandTest take
 * it from another process.
 */
class FolderLockTest {
    @Test
    void aHeldLockRefusesASecondHolderWithExitCode8AndTheHoldersPid(@TempDir Path dir) {
        Path file = dir.resolve("sweep").resolve(".lock");
        assertFalse(FolderLock.isHeld(file));
        try (FolderLock held = FolderLock.acquire(file, "sweep folder x")) {
            assertNotNull(held);
            assertTrue(FolderLock.isHeld(file));
            assertNull(FolderLock.tryAcquire(file));
            ScalingLabException e = assertThrows(ScalingLabException.class, () -> FolderLock.acquire(file, "sweep folder x"));
            assertEquals(ExitCode.LOCKED, e.exitCode());
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
            assertTrue(FolderLock.isHeld(file), "asking does not release it");
        }
        assertFalse(FolderLock.isHeld(file));
        try (FolderLock again = FolderLock.acquire(file, "sweep folder x")) {
            assertNotNull(again);
        }
    }

    @Test
    void askingWhetherALockIsHeldWritesNothing(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("none").resolve(".lock");
        assertFalse(FolderLock.isHeld(missing));
        assertFalse(Files.exists(missing.getParent()), "a probe creates nothing");
        Path file = dir.resolve(".lock");
        try (FolderLock l = FolderLock.acquire(file, "x")) {
            assertNotNull(l);
        }
        String before = Files.readString(file);
        FileTime mtime = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(file, mtime);
        assertFalse(FolderLock.isHeld(file));
        assertEquals(before, Files.readString(file), "the last holder's line stays as it was");
        assertEquals(mtime, Files.getLastModifiedTime(file));
    }

    /** Probes from other threads of this JVM, in a tight loop, never make an acquire fail. */
    @Test
    void probesInThisProcessNeverBlockAnAcquire(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(".lock");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong probes = new AtomicLong();
        List<Thread> probers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread th = new Thread(() -> {
                while (!stop.get()) {
                    FolderLock.isHeld(file);
                    probes.incrementAndGet();
                }
            });
            th.start();
            probers.add(th);
        }
        try {
            for (int i = 0; i < 1000; i++) {
                try (FolderLock l = FolderLock.tryAcquire(file)) {
                    assertNotNull(l, "acquire " + i + " failed while others only probed");
                }
            }
        } finally {
            stop.set(true);
            for (Thread th : probers) {
                th.join();
            }
        }
        assertTrue(probes.get() > 100, "the probers ran: " + probes.get());
    }

    /**
     * A worker starting while runs.csv is rebuilt elsewhere: another process probes the lock in a
     * tight loop while this one takes and releases it thousands of times; no take may fail. (The
     * probe used to take the lock for an instant, and a worker starting then exited 8.)
     */
    @Test
    void probesFromAnotherProcessNeverBlockAnAcquire(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(".lock");
        try (FolderLock l = FolderLock.acquire(file, "x")) {
            assertNotNull(l); // the file exists before the prober starts
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process prober = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Prober.class.getName(), file.toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(prober.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertEquals("probing", out.readLine(), "the prober started");
            int failed = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            int takes = 0;
            while (takes < 3000 && System.nanoTime() < end || takes < 300) {
                try (FolderLock l = FolderLock.tryAcquire(file)) {
                    if (l == null) {
                        failed++;
                    }
                }
                takes++;
            }
            prober.getOutputStream().close(); // tells the prober to stop
            String counts = out.readLine();
            assertTrue(prober.waitFor(30, TimeUnit.SECONDS));
            assertEquals(0, failed, failed + " of " + takes + " acquires failed while another process probed");
            assertNotNull(counts);
            String[] hv = counts.split(" ");
            assertTrue(Long.parseLong(hv[0]) > 0 && Long.parseLong(hv[1]) > 0,
                    "the prober saw the lock both held and free, so it raced the acquires: " + counts);
        } finally {
            prober.destroyForcibly();
        }
    }

    /** Probes a lock file until its stdin closes, then prints how often it found it held and free. */
    public static final class Prober {
        public static void main(String[] args) throws Exception {
            Path file = Path.of(args[0]);
            AtomicBoolean stop = new AtomicBoolean();
            Thread watch = new Thread(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // nothing is written; wait for end-of-file
                    }
                } catch (java.io.IOException ignored) {
                    // closed
                }
                stop.set(true);
            });
            watch.setDaemon(true);
            watch.start();
            System.out.println("probing");
            System.out.flush();
            long held = 0;
            long free = 0;
            while (!stop.get()) {
                if (FolderLock.isHeld(file)) {
                    held++;
                } else {
                    free++;
                }
            }
            System.out.println(held + " " + free);
            System.out.flush();
        }
    }
}
