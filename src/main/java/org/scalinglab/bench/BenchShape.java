package org.scalinglab.bench;

import java.util.Arrays;
import java.util.Locale;
import org.scalinglab.ScalingLabException;

/** The benchmark's three reference shapes, those of the PyTorch reference benchmark (scripts/torch_reference_bench.py): same context, batch and vocabulary. */
public enum BenchShape {
    TINY(128, 4, 4, 256, 64),
    SMALL(384, 6, 6, 512, 64),
    BASE(768, 12, 12, 1024, 32);

    public static final int VOCAB = 256;

    final int dModel;
    final int layers;
    final int heads;
    final int context;
    final int batch;

    BenchShape(int dModel, int layers, int heads, int context, int batch) {
        this.dModel = dModel;
        this.layers = layers;
        this.heads = heads;
        this.context = context;
        this.batch = batch;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BenchShape parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ScalingLabException(org.scalinglab.ExitCode.USAGE, "unknown bench shape '" + s + "'",
                    "use " + String.join(", ", Arrays.stream(values()).map(BenchShape::label).toList()));
        }
    }
}
