package org.scalinglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorCommandTest {

    @Test
    void reportsVersionsDevicesAndASmokeTest() {
        TrainCommandTest.Run r = TrainCommandTest.cli("doctor");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("djl        0.35.1"), r.out());
        assertTrue(r.out().contains("libtorch   2.7.1"), r.out());
        assertTrue(r.out().contains("device     cpu"), r.out());
        assertTrue(r.out().contains("smoke test ok"), r.out());
        assertTrue(r.out().contains("offline    yes"), r.out());
        assertTrue(r.out().contains("kernels    ATEN_CPU_CAPABILITY="), r.out()); // the pinned CPU paths, and who set them
    }

    @Test
    void aLibraryPathWithoutLibtorchIsAnEngineErrorNamingTheSetting(@TempDir Path empty) {
        System.setProperty("PYTORCH_LIBRARY_PATH", empty.toString());
        try {
            TrainCommandTest.Run r = TrainCommandTest.cli("doctor");
            assertEquals(6, r.code());
            assertTrue(r.out().contains("NOT LOADED"), r.out());
            assertTrue(r.err().contains("PYTORCH_LIBRARY_PATH"), r.err());
        } finally {
            System.clearProperty("PYTORCH_LIBRARY_PATH");
        }
    }
}
