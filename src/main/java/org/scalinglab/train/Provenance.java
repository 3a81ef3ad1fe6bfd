package org.scalinglab.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.scalinglab.ToolVersion;
import org.scalinglab.engine.CpuKernels;
import org.scalinglab.engine.GpuInfo;
import org.scalinglab.engine.TorchRuntime;

/**
 * How a number was made: the code (git commit, and whether the tree had uncommitted changes), the
 * libraries (Java, DJL, libtorch), the machine and the device. Recorded in every run.json.
 */
public final class Provenance {
    private Provenance() {}

    public static Map<String, Object> collect(Device device) {
        Map<String, Object> p = new LinkedHashMap<>();
        Path root = projectRoot();
        p.put("git_commit", git(root, "rev-parse", "HEAD"));
        String status = git(root, "status", "--porcelain", "--untracked-files=no");
        p.put("git_dirty", status == null ? null : !status.isBlank());
        p.put("scalinglab_version", ToolVersion.number());
        p.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        p.put("djl", Engine.getDjlVersion());
        Engine engine = TorchRuntime.engine();
        p.put("libtorch", engine.getVersion());
        p.put("libtorch_flavor", System.getenv().getOrDefault("PYTORCH_FLAVOR", "bundled"));
        p.put("native_libraries", TorchRuntime.loadedNativeLibraries().stream().map(Path::toString).toList());
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        p.put("host", hostName());
        p.put("cpu", cpuModel());
        p.put("cores", Runtime.getRuntime().availableProcessors());
        p.put("torch_threads", TorchRuntime.threads());
        p.put("cpu_kernels", CpuKernels.settings()); // which code paths made these numbers, and who chose them
        p.put("device", device.toString());
        if (device.isGpu()) {
            GpuInfo gpu = GpuInfo.of(device.getDeviceId());
            p.put("gpu", gpu.name());
            p.put("gpu_memory_mib", gpu.memoryMiB());
            p.put("gpu_driver", gpu.driver());
            p.put("tf32_override", System.getenv("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE"));
        }
        return p;
    }

    /** The checkout this code was built from: two folders above the jar (target/scalinglab.jar). */
    static Path projectRoot() {
        try {
            Path code = Path.of(Provenance.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = code.getParent() == null ? null : code.getParent().getParent();
            return root != null && Files.isDirectory(root) ? root : Path.of("").toAbsolutePath();
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("").toAbsolutePath();
        }
    }

    static String git(Path dir, String... args) {
        // --no-optional-locks: 'git status' would otherwise refresh the index and take .git/index.lock in the
        // user's checkout, which a run only reads
        String[] cmd = new String[args.length + 4];
        cmd[0] = "git";
        cmd[1] = "--no-optional-locks";
        cmd[2] = "-C";
        cmd[3] = dir.toString();
        System.arraycopy(args, 0, cmd, 4, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse(System.getProperty("os.arch"));
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
    }
}
