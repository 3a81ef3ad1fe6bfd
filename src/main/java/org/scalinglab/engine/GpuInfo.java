package org.scalinglab.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What nvidia-smi says of each GPU: name, memory, driver. Empty when there is no nvidia-smi
 * (no NVIDIA driver, or the CPU-only machine).
 */
public record GpuInfo(int index, String name, long memoryMiB, String driver) {

    public static List<GpuInfo> query() {
        List<GpuInfo> gpus = new ArrayList<>();
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=index,name,memory.total,driver_version",
                    "--format=csv,noheader,nounits").redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    String[] f = line.split(",\\s*");
                    if (f.length == 4) {
                        try {
                            gpus.add(new GpuInfo(Integer.parseInt(f[0].trim()), f[1].trim(),
                                    Long.parseLong(f[2].trim()), f[3].trim()));
                        } catch (NumberFormatException ignored) {
                            // a warning line, not a GPU
                        }
                    }
                }
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            // no nvidia-smi
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return gpus;
    }

    public static GpuInfo of(int index) {
        return query().stream().filter(g -> g.index() == index).findFirst()
                .orElse(new GpuInfo(index, "unknown GPU", 0, "unknown"));
    }
}
