package org.scalinglab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The {@code chinchilla_a4} count against Hoffmann et al. (2022), Table A4 ("FLOP comparison"): for six of
 * their models, the ratio of the FLOPs they compute per sequence to 6 N D. Their vocabulary is 32,000 and
 * their sequences 2,048 tokens (appendix; nanoGPT's scaling_laws.ipynb reproduces the table with the same
 * numbers). Their models use Transformer-XL relative positions, which add L (d^2 + 2 d) parameters (the
 * relative key projection and two biases) to the GPT count; their FLOP count does not include them.
 */
class ChinchillaTableA4Test {
    static final int VOCAB = 32_000;
    static final int SEQUENCE = 2048;

    /** Table A4: parameters (label), layers, d_model, ffw_size, heads, k/q size, FLOP ratio (ours / 6ND). */
    record Row(String label, int layers, int dModel, int ffw, int heads, int kq, double ratio) {}

    static final Row[] TABLE_A4 = {
        new Row("73M", 10, 640, 2560, 10, 64, 1.03),
        new Row("305M", 20, 1024, 4096, 16, 64, 1.10),
        new Row("552M", 24, 1280, 5120, 10, 128, 1.08),
        new Row("1.1B", 26, 1792, 7168, 14, 128, 1.04),
        new Row("1.6B", 28, 2048, 8192, 16, 128, 1.03),
        new Row("6.8B", 40, 3584, 14336, 28, 128, 0.99),
    };

    static GptShape shape(Row r) {
        // every Table A4 model has heads x k/q = d_model and ffw = 4 d_model, as scalinglab's GPT
        assertEquals(r.dModel(), r.heads() * r.kq(), r.label());
        assertEquals(4 * r.dModel(), r.ffw(), r.label());
        return new GptShape(VOCAB, SEQUENCE, r.dModel(), r.layers(), r.heads(), 4);
    }

    /** N of the Chinchilla architecture: non-embedding with the head, plus the relative-position parameters. */
    static double chinchillaParams(Row r, GptShape s) {
        long d = r.dModel();
        return ParameterCounts.closedForm(s).nonEmbeddingWithHead() + r.layers() * (d * d + 2 * d);
    }

    @Test
    void theTableA4CountReproducesTheTablesRatios() {
        for (Row r : TABLE_A4) {
            GptShape s = shape(r);
            double ratio = Flops.chinchillaA4(s) / (6 * chinchillaParams(r, s));
            // the table gives two decimals
            assertEquals(r.ratio(), ratio, 0.005, r.label() + ": " + ratio);
        }
    }

    @Test
    void appendixFsTextCountsEmbeddingsAndLogitsOnTop() {
        for (Row r : TABLE_A4) {
            GptShape s = shape(r);
            // 2 T V d for the embeddings and for the final logits, forward; times 3 for training, per token
            assertEquals(12.0 * VOCAB * r.dModel(), Flops.chinchilla(s) - Flops.chinchillaA4(s), 1e-3, r.label());
            double over = Flops.chinchilla(s) / Flops.chinchillaA4(s);
            assertTrue(over > 1.03 && over < 1.6, r.label() + ": appendix F / Table A4 = " + over);
        }
        Row small = TABLE_A4[0];
        double ratio = Flops.chinchilla(shape(small)) / (6 * chinchillaParams(small, shape(small)));
        assertTrue(ratio > 1.5, "appendix F's text does not give the table's 1.03 for the 73M model: " + ratio);
    }
}
