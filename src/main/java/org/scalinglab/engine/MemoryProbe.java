package org.scalinglab.engine;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory in use, in MiB: on a GPU the device's used memory (cudaMemGetInfo: libtorch's caching
 * allocator plus the CUDA context), on the CPU this process's resident set.
 */
public final class MemoryProbe {
    private MemoryProbe() {}

    public static double usedMiB(Device device) {
        if (device.isGpu()) {
            try {
                return CudaUtils.getGpuMemory(device).getCommitted() / (1024.0 * 1024.0);
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                return Double.NaN;
            }
        }
        return residentMiB();
    }

    public static double residentMiB() {
        try {
            String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(statm[1]) * 4096.0 / (1024.0 * 1024.0);
        } catch (IOException | RuntimeException e) {
            Runtime rt = Runtime.getRuntime();
            return (rt.totalMemory() - rt.freeMemory()) / (1024.0 * 1024.0);
        }
    }
}
