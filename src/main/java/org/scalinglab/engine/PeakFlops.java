package org.scalinglab.engine;

import java.util.Locale;
import java.util.OptionalDouble;
import org.scalinglab.config.TrainConfig.Precision;

/**
 * Dense peak FLOP/s of common GPUs per precision (vendor data sheets, without sparsity), the
 * denominator of MFU. The H100 SXM numbers are the PyTorch reference benchmark's. Unknown devices,
 * and the CPU, have no peak: MFU is then left empty rather than guessed.
 */
public final class PeakFlops {
    private PeakFlops() {}

    private record Peak(String match, double fp32, double tf32, double fp16) {}

    // Checked in order: the first substring of the lower-cased GPU name that matches wins.
    private static final Peak[] PEAKS = {
        new Peak("h200", 67e12, 494.7e12, 989.4e12),
        new Peak("h100 pcie", 51.2e12, 378e12, 756e12),
        new Peak("h100", 67e12, 494.7e12, 989.4e12),
        new Peak("gh200", 67e12, 494.7e12, 989.4e12),
        new Peak("a100", 19.5e12, 156e12, 312e12),
        new Peak("a10g", 31.2e12, 62.5e12, 125e12),
        new Peak("a10", 31.2e12, 62.5e12, 125e12),
        new Peak("l40s", 91.6e12, 183e12, 362e12),
        new Peak("l4", 30.3e12, 60e12, 121e12),
        new Peak("4090", 82.6e12, 82.6e12, 165.2e12),
        new Peak("v100", 15.7e12, 15.7e12, 125e12),
        new Peak("t4", 8.1e12, 8.1e12, 65e12),
    };

    public static OptionalDouble of(String gpuName, Precision precision) {
        if (gpuName == null) {
            return OptionalDouble.empty();
        }
        String n = gpuName.toLowerCase(Locale.ROOT);
        for (Peak p : PEAKS) {
            if (n.contains(p.match())) {
                return OptionalDouble.of(switch (precision) {
                    case FP32 -> p.fp32();
                    case TF32 -> p.tf32();
                    case FP16, BF16 -> p.fp16();
                });
            }
        }
        return OptionalDouble.empty();
    }
}
