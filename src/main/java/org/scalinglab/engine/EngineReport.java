package org.scalinglab.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.Utils;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scalinglab.ScalingLabException;

/**
 * What {@code scalinglab doctor} reports: versions, where libtorch came from, each device with a
 * working smoke test (a matmul whose result is read back, which is where a JNI built for another
 * libtorch version fails), the precisions each supports, and the settings that change any of it.
 */
public final class EngineReport {
    /** One device: its name, memory, precisions, and whether the smoke test passed (and why not). */
    public record DeviceStatus(String device, String name, long memoryMiB, List<String> precisions, String error) {}

    private EngineReport() {}

    /** Settings read from the environment that decide which libtorch loads and how. */
    public static Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        for (String key : new String[] {"PYTORCH_LIBRARY_PATH", "PYTORCH_FLAVOR", "PYTORCH_LIBRARY_EXCLUSION",
            "PYTORCH_VERSION", "DJL_OFFLINE", "DJL_CACHE_DIR", "ENGINE_CACHE_DIR", "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE"}) {
            String v = Utils.getEnvOrSystemProperty(key);
            s.put(key, v == null ? "(unset)" : v);
        }
        return s;
    }

    public static boolean offline() {
        return Utils.isOfflineMode();
    }

    public static Path cacheDir() {
        return Utils.getEngineCacheDir("pytorch");
    }

    /** Loads the engine (throws the one-line ENGINE error when it cannot) and tests each device. */
    public static List<DeviceStatus> devices() {
        Engine engine = TorchRuntime.engine();
        List<DeviceStatus> out = new ArrayList<>();
        List<GpuInfo> gpus = GpuInfo.query();
        for (Device d : TorchRuntime.devices()) {
            String name = "CPU";
            long mem = 0;
            if (d.isGpu()) {
                GpuInfo g = gpus.stream().filter(x -> x.index() == d.getDeviceId()).findFirst()
                        .orElse(new GpuInfo(d.getDeviceId(), "CUDA device", 0, "unknown"));
                name = g.name() + ", driver " + g.driver();
                mem = g.memoryMiB();
            }
            List<String> precisions = d.isGpu() ? List.of("fp32", "tf32", "fp16") : List.of("fp32");
            out.add(new DeviceStatus(d.isGpu() ? "gpu:" + d.getDeviceId() : "cpu", name, mem, precisions,
                    smokeTest(engine, d)));
        }
        return out;
    }

    private static String smokeTest(Engine engine, Device device) {
        try (NDManager m = engine.newBaseManager(device)) {
            NDArray a = m.ones(new Shape(64, 64));
            float v = a.matMul(a).sum().getFloat();
            if (v != 64f * 64 * 64) {
                return "a 64x64 matmul of ones summed to " + v + " instead of 262144";
            }
            return null;
        } catch (RuntimeException e) {
            String msg = TorchRuntime.rootMessage(e);
            if (msg.contains("doesn't have storage") || msg.contains("data pointer")) {
                msg += " (the JNI (libdjl_torch.so) was built for another libtorch version: build DJL's JNI "
                        + "against this libtorch, or point PYTORCH_LIBRARY_PATH at libtorch 2.7.1)";
            }
            return msg;
        }
    }

    /** The engine's failure as a user error, for callers that report rather than throw. */
    public static String describe(ScalingLabException e) {
        return e.getMessage() + (e.hint() == null ? "" : " (hint: " + e.hint() + ")");
    }

    public static String djlVersion() {
        return Engine.getDjlVersion();
    }
}
