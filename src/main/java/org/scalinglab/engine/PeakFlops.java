package org.scalinglab.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import org.scalinglab.config.TrainConfig.Precision;

/**
 * Dense peak FLOP/s of common GPUs per number format (vendor data sheets, without sparsity), and their
 * memory: the denominator of MFU, and what {@code forecast} prices a run on. The H100 SXM numbers are
 * the PyTorch reference benchmark's. Unknown devices, and the CPU, have no peak: MFU is then left empty
 * rather than guessed. GPUs without TF32 (V100, T4) run a tf32 request in float32, so their tf32 peak is
 * their fp32 one; a format a GPU lacks (bf16 before Ampere, fp8 before Ada/Hopper) has no peak (NaN).
 */
public final class PeakFlops {
    private PeakFlops() {}

    /** Number formats a peak is quoted for. */
    public enum Format {
        FP32, TF32, FP16, BF16, FP8;

        public static Format parse(String s) {
            for (Format f : values()) {
                if (f.name().equalsIgnoreCase(s.trim())) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown precision '" + s + "' (expected fp32, tf32, fp16, bf16 or fp8)");
        }

        public static Format of(Precision p) {
            return valueOf(p.name());
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One GPU: its name for {@code --gpu}, a description, its memory (the data sheet's GB; HBM capacities are
     * binary, an 80 GB H100 shows 79.6 GiB), dense peaks in FLOP/s, and the lower-case substrings that all
     * occur in the name the driver reports for it.
     */
    public record Gpu(String key, String description, double memoryGib, double fp32, double tf32, double fp16,
            double bf16, double fp8, List<String> match) {

        /** Dense peak FLOP/s in a format; NaN when the GPU lacks it. */
        public double peak(Format f) {
            return switch (f) {
                case FP32 -> fp32;
                case TF32 -> tf32;
                case FP16 -> fp16;
                case BF16 -> bf16;
                case FP8 -> fp8;
            };
        }

        boolean matches(String lowerName) {
            return match.stream().allMatch(lowerName::contains);
        }
    }

    private static final double T = 1e12;
    private static final double NONE = Double.NaN;

    // Checked in order: the first entry whose substrings all occur in the lower-cased GPU name wins.
    private static final List<Gpu> GPUS = List.of(
            gpu("gh200", "NVIDIA GH200 (Hopper, 96 GB HBM3)", 96, 67, 494.7, 989.4, 989.4, 1978.9, "gh200"),
            gpu("h200", "NVIDIA H200 SXM (141 GB HBM3e)", 141, 67, 494.7, 989.4, 989.4, 1978.9, "h200"),
            gpu("h100-pcie", "NVIDIA H100 PCIe (80 GB)", 80, 51.2, 378, 756, 756, 1513, "h100", "pcie"),
            gpu("h100-sxm", "NVIDIA H100 SXM (80 GB HBM3)", 80, 67, 494.7, 989.4, 989.4, 1978.9, "h100"),
            gpu("b200", "NVIDIA B200 (HGX B200, per GPU, 180 GB HBM3e)", 180, 75, 1125, 2250, 2250, 4500, "b200"),
            gpu("a100-80gb", "NVIDIA A100 80 GB", 80, 19.5, 156, 312, 312, NONE, "a100", "80gb"),
            gpu("a100-40gb", "NVIDIA A100 40 GB", 40, 19.5, 156, 312, 312, NONE, "a100"),
            gpu("a10g", "NVIDIA A10G (24 GB)", 24, 31.2, 62.5, 125, 125, NONE, "a10g"),
            gpu("a10", "NVIDIA A10 (24 GB)", 24, 31.2, 62.5, 125, 125, NONE, "a10"),
            gpu("l40s", "NVIDIA L40S (48 GB)", 48, 91.6, 183, 362, 362, 733, "l40s"),
            gpu("l4", "NVIDIA L4 (24 GB)", 24, 30.3, 60, 121, 121, 242.5, "l4"),
            gpu("rtx4090", "NVIDIA GeForce RTX 4090 (24 GB)", 24, 82.6, 82.6, 165.2, 165.2, NONE, "4090"),
            gpu("v100", "NVIDIA V100 (32 GB; no TF32, no bf16)", 32, 15.7, 15.7, 125, NONE, NONE, "v100"),
            gpu("t4", "NVIDIA T4 (16 GB; no TF32, no bf16)", 16, 8.1, 8.1, 65, NONE, NONE, "t4"));

    private static Gpu gpu(String key, String description, double memoryGib, double fp32, double tf32, double fp16,
            double bf16, double fp8, String... match) {
        return new Gpu(key, description, memoryGib, fp32 * T, tf32 * T, fp16 * T, bf16 * T, fp8 * T, List.of(match));
    }

    /** Every GPU of the table, in matching order. */
    public static List<Gpu> table() {
        return GPUS;
    }

    /** The table's keys, for messages. */
    public static String keys() {
        List<String> k = new ArrayList<>();
        GPUS.forEach(g -> k.add(g.key()));
        return String.join(", ", k);
    }

    /** The GPU a driver's name (e.g. "NVIDIA H100 80GB HBM3") stands for; empty when it is not in the table. */
    public static Optional<Gpu> matching(String gpuName) {
        if (gpuName == null || gpuName.isBlank()) {
            return Optional.empty();
        }
        String n = gpuName.toLowerCase(Locale.ROOT);
        return GPUS.stream().filter(g -> g.matches(n)).findFirst();
    }

    /** A GPU by its key ({@code h100-sxm}), else by the name matching rule ({@code "H100"}, a driver's name). */
    public static Optional<Gpu> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Gpu g : GPUS) {
            if (g.key().equals(n)) {
                return Optional.of(g);
            }
        }
        return matching(n.replace('-', ' ').replace('_', ' '));
    }

    /** The peak the trainer and the benchmark divide by; bf16 falls back to fp16's peak, as it always has. */
    public static OptionalDouble of(String gpuName, Precision precision) {
        Optional<Gpu> g = matching(gpuName);
        if (g.isEmpty()) {
            return OptionalDouble.empty();
        }
        double p = g.get().peak(precision == Precision.BF16 ? Format.FP16 : Format.of(precision));
        return Double.isFinite(p) ? OptionalDouble.of(p) : OptionalDouble.empty();
    }
}
