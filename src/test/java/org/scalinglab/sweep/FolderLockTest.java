package org.scalinglab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;

/** The lock in one process; SweepProcessTest takes it from another process. */
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
}
