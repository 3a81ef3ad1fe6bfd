package org.scalinglab.cli;

import ai.djl.engine.Engine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.engine.CpuKernels;
import org.scalinglab.engine.EngineReport;
import org.scalinglab.engine.TorchRuntime;
import org.scalinglab.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scalinglab doctor}: can this machine train, on which devices, with which libtorch. */
@Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, description = {
    "Check Java, DJL, libtorch and each device with a smoke test.",
    "Report Java, DJL and libtorch versions, where libtorch was loaded from, each device with a smoke test, "
        + "the precisions available, the cache folder and offline mode. Exit code 6 when the engine cannot run."})
final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    VerboseOption verbose;

    @Option(names = "--json", description = "Print the report as one JSON object on stdout (schema scalinglab.doctor/1).")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter out = json ? new PrintWriter(java.io.Writer.nullWriter()) : stdout;
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("schema", "scalinglab.doctor/1");
        j.put("scalinglab", org.scalinglab.ToolVersion.number());
        j.put("commit", org.scalinglab.ToolVersion.commit());
        j.put("java", Map.of("version", System.getProperty("java.version"), "vendor", System.getProperty("java.vendor"),
                "home", System.getProperty("java.home")));
        j.put("djl", EngineReport.djlVersion());
        j.put("offline", EngineReport.offline());
        j.put("cache", String.valueOf(EngineReport.cacheDir()));
        j.put("settings", EngineReport.settings());
        out.printf("java       %s (%s) at %s%n", System.getProperty("java.version"), System.getProperty("java.vendor"),
                System.getProperty("java.home"));
        out.printf("djl        %s%n", EngineReport.djlVersion());
        out.printf("offline    %s%n", EngineReport.offline() ? "yes (DJL_OFFLINE / ai.djl.offline)" : "no: DJL may download libtorch");
        out.printf("cache      %s%n", EngineReport.cacheDir());
        for (Map.Entry<String, String> e : EngineReport.settings().entrySet()) {
            out.printf("  %-32s %s%n", e.getKey(), e.getValue());
        }
        Engine engine;
        try {
            engine = TorchRuntime.engine();
        } catch (ScalingLabException e) {
            out.printf("libtorch   NOT LOADED: %s%n", e.getMessage());
            out.printf("fix        %s%n", e.hint());
            out.flush();
            if (json) {
                j.put("libtorch", Map.of("loaded", false, "error", e.getMessage(), "fix", String.valueOf(e.hint())));
                j.put("status", "engine not loaded");
                stdout.print(Json.write(j));
                stdout.flush();
            }
            throw e;
        }
        Map<String, Object> torch = new LinkedHashMap<>();
        torch.put("loaded", true);
        torch.put("version", engine.getVersion());
        torch.put("flavor", System.getenv().getOrDefault("PYTORCH_FLAVOR", "as bundled/downloaded"));
        torch.put("libraries", TorchRuntime.loadedNativeLibraries().stream().map(Path::toString).toList());
        torch.put("threads", TorchRuntime.threads());
        torch.put("kernels", CpuKernels.describe(CpuKernels.settings()));
        j.put("libtorch", torch);
        j.put("cores", Runtime.getRuntime().availableProcessors());
        out.printf("libtorch   %s, flavor %s%n", engine.getVersion(),
                System.getenv().getOrDefault("PYTORCH_FLAVOR", "as bundled/downloaded"));
        for (Path p : TorchRuntime.loadedNativeLibraries()) {
            out.printf("  loaded   %s%n", p);
        }
        out.printf("threads    %d libtorch intra-op threads, %d cores%n", TorchRuntime.threads(),
                Runtime.getRuntime().availableProcessors());
        out.printf("kernels    %s%n", CpuKernels.describe(CpuKernels.settings())); // the CPU paths run.json records
        boolean ok = true;
        List<Map<String, Object>> devices = new ArrayList<>();
        for (EngineReport.DeviceStatus d : EngineReport.devices()) {
            Map<String, Object> dj = new LinkedHashMap<>();
            dj.put("device", d.device());
            dj.put("name", d.name());
            dj.put("memory_mib", d.memoryMiB() > 0 ? d.memoryMiB() : null);
            dj.put("precisions", d.precisions());
            dj.put("smoke_test", d.error() == null ? "ok" : "failed");
            dj.put("error", d.error());
            devices.add(dj);
            String mem = d.memoryMiB() > 0 ? String.format(", %.1f GiB", d.memoryMiB() / 1024.0) : "";
            out.printf("device     %-6s %s%s; precisions %s; %s%n", d.device(), d.name(), mem,
                    String.join(", ", d.precisions()) + (d.device().startsWith("gpu") ? " (bf16: not in DJL's JNI)" : ""),
                    d.error() == null ? "smoke test ok" : "FAILED: " + d.error());
            ok &= d.error() == null;
        }
        if (TorchRuntime.gpuCount() == 0) {
            out.printf("cuda       none visible; to use NVIDIA GPUs set PYTORCH_LIBRARY_PATH to a CUDA libtorch "
                    + "2.7.1 lib folder with PYTORCH_FLAVOR (e.g. cu128), or run online with DJL_OFFLINE=false%n");
        }
        out.printf("status     %s%n", ok ? "ok" : "a device failed its smoke test");
        out.flush();
        j.put("devices", devices);
        j.put("gpus", TorchRuntime.gpuCount());
        j.put("status", ok ? "ok" : "a device failed its smoke test");
        if (json) {
            stdout.print(Json.write(j));
            stdout.flush();
        }
        return ok ? ExitCode.OK.code() : ExitCode.ENGINE.code();
    }
}
