package org.scalinglab.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.TrainConfig.Precision;

/**
 * DJL's PyTorch engine for this process: loading it (with a one-line error that names the setting
 * to fix when the natives cannot load), resolving device names, the CPU thread count, and the
 * process-wide float32 matmul mode (TF32 or exact).
 */
public final class TorchRuntime {
    static final String HINT_NATIVES = "offline, the CPU libtorch comes from the pytorch-native-cpu jar "
            + "(rebuild with 'mvn package'); for CUDA set PYTORCH_LIBRARY_PATH to a libtorch/lib folder whose "
            + "version matches DJL's JNI (2.7.1), with PYTORCH_FLAVOR (e.g. cu128) and "
            + "PYTORCH_LIBRARY_EXCLUSION=libtorch_python.so for a pip install; see 'scalinglab doctor'";

    private static Boolean tf32;
    private static Integer gpuCount;
    private static boolean loaded;
    private static boolean tf32Requested;

    private TorchRuntime() {}

    /** The engine, loaded once; failures become {@link ExitCode#ENGINE} errors with a hint. */
    public static Engine engine() {
        checkLibraryOverride();
        CpuKernels.pin((name, value) -> CLib.INSTANCE.setenv(name, value, 1)); // before libtorch reads them
        try {
            Engine engine = Engine.getEngine("PyTorch");
            synchronized (TorchRuntime.class) {
                if (!loaded) {
                    loaded = true;
                    // System.getenv is a snapshot from JVM start: it does not see setenv
                    tf32 = tf32Requested || "1".equals(System.getenv("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE"));
                }
            }
            JniUtils.setGradMode(false); // grad mode is per thread in libtorch; the engine set it on its own
            return engine;
        } catch (Throwable t) {
            throw new ScalingLabException(ExitCode.ENGINE, "the PyTorch engine cannot start: " + rootMessage(t),
                    HINT_NATIVES, t);
        }
    }

    /** DJL silently falls back to the bundled CPU libtorch when the override path holds none. */
    private static void checkLibraryOverride() {
        String path = ai.djl.util.Utils.getEnvOrSystemProperty("PYTORCH_LIBRARY_PATH");
        if (path == null || path.isBlank()) {
            return;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir);
            if (Files.isRegularFile(p.resolve("libtorch.so")) || p.getFileName() != null
                    && p.getFileName().toString().equals("libtorch.so") && Files.isRegularFile(p)) {
                return;
            }
        }
        throw new ScalingLabException(ExitCode.ENGINE, "PYTORCH_LIBRARY_PATH=" + path + " holds no libtorch.so "
                + "(DJL would silently fall back to the bundled CPU libtorch)",
                "point it at the lib folder of a libtorch install (e.g. .../site-packages/torch/lib), or unset it");
    }

    /** Parses {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N} against the GPUs libtorch sees. */
    public static Device device(String spec) {
        int gpus = gpuCount();
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) {
            return gpus > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        int index = s.equals("gpu") ? 0 : parseIndex(s);
        if (index >= gpus) {
            throw new ScalingLabException(ExitCode.ENGINE,
                    "device " + spec + " is not available: libtorch sees " + gpus + " CUDA GPU(s)"
                            + (gpus == 0 ? " (it is the CPU build, or no driver)" : ""),
                    gpus == 0 ? "use device cpu, or " + HINT_NATIVES : "use gpu:0 .. gpu:" + (gpus - 1));
        }
        return Device.gpu(index);
    }

    private static int parseIndex(String s) {
        if (!s.startsWith("gpu:")) {
            throw ScalingLabException.config("unknown device '" + s + "'", "use auto, cpu, gpu or gpu:N");
        }
        try {
            return Integer.parseInt(s.substring(4));
        } catch (NumberFormatException e) {
            throw ScalingLabException.config("unknown device '" + s + "'", "use auto, cpu, gpu or gpu:N");
        }
    }

    /** All devices: the CPU, then each GPU. */
    public static List<Device> devices() {
        List<Device> all = new ArrayList<>();
        all.add(Device.cpu());
        int gpus = gpuCount();
        for (int i = 0; i < gpus; i++) {
            all.add(Device.gpu(i));
        }
        return all;
    }

    /**
     * CUDA GPUs libtorch can use. DJL counts them through libcudart, which it may not find beside a
     * pip-installed libtorch; when libtorch was built with CUDA and DJL counts none, ask libtorch.
     */
    public static synchronized int gpuCount() {
        if (gpuCount == null) {
            Engine e = engine();
            int n = e.getGpuCount();
            if (n == 0 && e.hasCapability(ai.djl.engine.StandardCapabilities.CUDA)) {
                while (n < 64 && allocates(e, Device.gpu(n))) {
                    n++;
                }
            }
            gpuCount = n;
        }
        return gpuCount;
    }

    private static boolean allocates(Engine e, Device d) {
        try (ai.djl.ndarray.NDManager m = e.newBaseManager(d)) {
            m.zeros(new ai.djl.ndarray.types.Shape(1));
            return true;
        } catch (RuntimeException ex) {
            return false;
        }
    }

    /** libtorch's intra-op threads; 0 keeps its default (every core). */
    public static void threads(int threads) {
        engine();
        if (threads > 0) {
            JniUtils.setNumThreads(threads);
        }
    }

    public static int threads() {
        engine();
        return JniUtils.getNumThreads();
    }

    /**
     * Asks for TF32 float32 matmuls. libtorch reads TORCH_ALLOW_TF32_CUBLAS_OVERRIDE when it loads,
     * so this must come before the engine is first used; the mode is then fixed for the process.
     */
    public static synchronized void requestTf32(boolean want) {
        if (!loaded && want) {
            CLib.INSTANCE.setenv("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE", "1", 1);
            tf32Requested = true;
        }
    }

    /**
     * Checks that a precision can run on a device with this process's float32 matmul mode (see
     * {@link #requestTf32}); a run that needs the other mode is refused.
     */
    public static void precision(Precision precision, Device device) {
        boolean gpu = device.isGpu();
        if (!gpu && precision != Precision.FP32) {
            throw ScalingLabException.config("train.precision " + name(precision) + " needs a CUDA GPU, and this "
                    + "run's device is " + device, "use precision fp32 on the CPU");
        }
        if (!gpu) {
            return;
        }
        boolean wantTf32 = precision == Precision.TF32;
        engine();
        synchronized (TorchRuntime.class) {
            if (precision != Precision.FP16 && tf32 != wantTf32) {
                throw new ScalingLabException(ExitCode.ENGINE,
                        "this process already runs float32 matmuls as " + (tf32 ? "tf32" : "exact fp32")
                                + " and cannot switch to " + name(precision),
                        "run " + name(precision) + " in a separate process (the sweep and bench commands do)");
            }
        }
    }

    /** The libtorch and JNI files this process loaded, read from /proc/self/maps. */
    public static List<Path> loadedNativeLibraries() {
        List<Path> libs = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int slash = line.indexOf('/');
                if (slash < 0) {
                    continue;
                }
                Path p = Path.of(line.substring(slash).trim());
                String n = p.getFileName().toString();
                if ((n.startsWith("libtorch") || n.contains("djl_torch") || n.startsWith("libc10"))
                        && !libs.contains(p)) {
                    libs.add(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: nothing to list
        }
        return libs;
    }

    /** A precision as configs and run records name it: {@code fp32}, {@code tf32}, {@code fp16}, {@code bf16}. */
    public static String name(Precision p) {
        return p.name().toLowerCase(Locale.ROOT);
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        StringBuilder sb = new StringBuilder(String.valueOf(t.getMessage()));
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
            if (root.getMessage() != null && !sb.toString().contains(root.getMessage())) {
                sb.append(": ").append(root.getMessage());
            }
        }
        return sb.toString().replace('\n', ' ');
    }

    /** setenv(3), to set libtorch's TF32 switch in this process before libtorch loads. */
    private interface CLib extends Library {
        CLib INSTANCE = Native.load("c", CLib.class);

        int setenv(String name, String value, int overwrite);
    }
}
