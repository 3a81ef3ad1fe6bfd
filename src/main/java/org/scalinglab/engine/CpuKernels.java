package org.scalinglab.engine;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The CPU kernel paths every libtorch this tool loads uses, pinned so that one config gives the same
 * losses on any x86-64 machine with AVX2. Measured on one 2,600-step run: ATen's AVX-512 kernels, its
 * AVX2 kernels, its scalar ones and MKL's compatible branch ended 0.011 nats apart, as far apart as
 * the learning rates a tune grid compares (docs/getting-started.md has the table).
 *
 * <p>Three libraries pick their code path from the CPU at run time, each with its own switch, read
 * once from the environment when the library first runs: ATen's vectorised ops
 * ({@code ATEN_CPU_CAPABILITY}), MKL's BLAS, which libtorch's matmuls call ({@code MKL_CBWR}, MKL's
 * conditional numerical reproducibility), and oneDNN ({@code ONEDNN_MAX_CPU_ISA}). Each is set to
 * AVX2 in this process before libtorch loads, unless the user exported it: their value is kept, and
 * {@link #settings()} records which was which for run.json. {@code SCALINGLAB_CPU_KERNELS=native}
 * leaves all three to the CPU (the fastest path, machine-dependent numbers).
 *
 * <p>Child processes (a sweep's workers, probes, benchmarks) pin themselves the same way when they
 * load libtorch: {@link System#getenv} is a snapshot from JVM start, so what this process set with
 * setenv(3) is not inherited, and a value a user exported is.
 */
public final class CpuKernels {
    /** The switch that turns pinning off: {@code native} lets each library choose from the CPU. */
    public static final String MODE_VARIABLE = "SCALINGLAB_CPU_KERNELS";
    public static final String NATIVE = "native";

    /** Each library's switch and the value that selects its AVX2 path. */
    public static final Map<String, String> PINNED = pinned();

    private static Map<String, String> pinned() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ATEN_CPU_CAPABILITY", "avx2");
        m.put("MKL_CBWR", "AVX2,STRICT");
        m.put("ONEDNN_MAX_CPU_ISA", "AVX2");
        return java.util.Collections.unmodifiableMap(m);
    }

    /** One switch as this process runs it: its value (null: the library's own choice) and who set it. */
    @JsonPropertyOrder({"variable", "value", "source"})
    public record Setting(String variable, String value, Source source) {}

    /** Who chose a switch's value. */
    public enum Source {
        /** pinned by scalinglab */
        @JsonProperty("scalinglab")
        SCALINGLAB,
        /** exported by the user, and respected */
        @JsonProperty("user")
        USER,
        /** left to the library (SCALINGLAB_CPU_KERNELS=native) */
        @JsonProperty("library")
        LIBRARY
    }

    private static List<Setting> settings;

    private CpuKernels() {}

    /**
     * Pins the switches the user has not set, once per process and before libtorch loads (the
     * libraries read them once); later calls return the first answer.
     */
    static synchronized List<Setting> pin(Setenv setenv) {
        if (settings == null) {
            settings = decide(System::getenv);
            for (Setting s : settings) {
                if (s.source() == Source.SCALINGLAB) {
                    setenv.set(s.variable(), s.value());
                }
            }
        }
        return settings;
    }

    /** The settings for an environment: the user's values kept, the rest pinned (or left, in native mode). */
    static List<Setting> decide(UnaryOperator<String> env) {
        boolean pin = !NATIVE.equalsIgnoreCase(String.valueOf(env.apply(MODE_VARIABLE)).trim());
        return PINNED.entrySet().stream().map(e -> {
            String user = env.apply(e.getKey());
            if (user != null && !user.isBlank()) {
                return new Setting(e.getKey(), user, Source.USER);
            }
            return pin ? new Setting(e.getKey(), e.getValue(), Source.SCALINGLAB)
                    : new Setting(e.getKey(), null, Source.LIBRARY);
        }).toList();
    }

    /** This process's settings (pinning them first if libtorch has not loaded yet). */
    public static List<Setting> settings() {
        TorchRuntime.engine();
        return pin(null);
    }

    /** A one-line summary, e.g. {@code ATEN_CPU_CAPABILITY=avx2 (scalinglab), ...}. */
    public static String describe(List<Setting> s) {
        StringBuilder sb = new StringBuilder();
        for (Setting x : s) {
            sb.append(sb.length() == 0 ? "" : ", ").append(x.variable()).append('=')
                    .append(x.value() == null ? "(the CPU's)" : x.value()).append(" (")
                    .append(x.source().name().toLowerCase(java.util.Locale.ROOT)).append(')');
        }
        return sb.toString();
    }

    /** setenv(3) in this process. */
    interface Setenv {
        void set(String name, String value);
    }
}
