package org.scalinglab.forecast;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.scalinglab.engine.PeakFlops;

/**
 * What a forecast prices a run on: k GPUs of one kind, a number format, the model FLOP utilisation they
 * reach (PaLM's count over the dense peak, as the trainer and the benchmark measure it) and where that
 * MFU comes from, optionally a price per GPU-hour, and the goodput: the fraction of the GPUs' wall time
 * that trains (restarts after failures, checkpointing, evaluation and queueing take the rest; Llama 3's
 * 405B run reports about 90 % effective training time, and smaller jobs on shared clusters much less).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"gpu", "gpu_description", "precision", "peak_flops_per_s", "mfu", "mfu_source", "gpus",
    "memory_gib", "price_per_gpu_hour", "currency", "goodput"})
public record Hardware(@JsonIgnore PeakFlops.Gpu device, @JsonIgnore PeakFlops.Format format, double mfu, String mfuSource,
        int gpus, Double pricePerGpuHour, String currency, double goodput) {
    /** The MFU a plan assumes when nothing was measured: large dense runs report 38-46 % (PaLM, Llama 3). */
    public static final double DEFAULT_MFU = 0.40;
    public static final String DEFAULT_GPU = "h100-sxm";

    public static final String DEFAULT_CURRENCY = "USD";

    public Hardware(PeakFlops.Gpu device, PeakFlops.Format format, double mfu, String mfuSource, int gpus,
            Double pricePerGpuHour) {
        this(device, format, mfu, mfuSource, gpus, pricePerGpuHour, DEFAULT_CURRENCY, 1.0);
    }

    public Hardware {
        if (!(goodput > 0 && goodput <= 1)) {
            throw new IllegalArgumentException("goodput must be in (0, 1], got " + goodput);
        }
        if (!Double.isFinite(device.peak(format))) {
            throw new IllegalArgumentException(device.key() + " has no " + format + " peak (" + device.description()
                    + ")");
        }
        if (!(mfu > 0 && mfu <= 1)) {
            throw new IllegalArgumentException("MFU must be in (0, 1], got " + mfu);
        }
        if (gpus < 1) {
            throw new IllegalArgumentException("GPUs must be at least 1, got " + gpus);
        }
    }

    @JsonProperty
    public String gpu() {
        return device.key();
    }

    @JsonProperty
    public String gpuDescription() {
        return device.description();
    }

    @JsonProperty
    public String precision() {
        return format.toString();
    }

    @JsonProperty
    public double peakFlopsPerS() {
        return device.peak(format);
    }

    @JsonProperty
    public double memoryGib() {
        return device.memoryGib();
    }

    /** FLOP/s the k GPUs deliver together, averaged over their wall time (goodput included). */
    @JsonIgnore
    public double deliveredFlopsPerS() {
        return gpus * peakFlopsPerS() * mfu * goodput;
    }

    /** GPU-hours of {@code flops} hardware FLOPs: FLOPs / (peak x MFU x goodput) / 3600. */
    public double gpuHours(double flops) {
        return flops / (peakFlopsPerS() * mfu * goodput) / 3600;
    }

    /** Days on the k GPUs. */
    public double wallDays(double flops) {
        return gpuHours(flops) / gpus / 24;
    }

    /** Hardware FLOPs the k GPUs deliver in {@code days}. */
    public double flopsIn(double days) {
        return deliveredFlopsPerS() * days * 86_400;
    }
}
