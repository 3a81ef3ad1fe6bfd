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
    void jsonHasASchemaAndTheDevices() throws Exception {
        TrainCommandTest.Run r = TrainCommandTest.cli("doctor", "--json");
        assertEquals(0, r.code(), r.out() + r.err());
        com.fasterxml.jackson.databind.JsonNode j = org.scalinglab.io.Json.mapper().readTree(r.out());
        assertEquals("scalinglab.doctor/1", j.get("schema").asText());
        assertEquals("ok", j.get("status").asText());
        assertEquals("cpu", j.get("devices").get(0).get("device").asText());
        assertEquals("2.7.1", j.get("libtorch").get("version").asText());
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
