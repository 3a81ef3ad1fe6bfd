package org.scalinglab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.scalinglab.config.ParamConvention;

class ParameterCountsTest {

    @Test
    void handComputedCase() {
        // V=256, T=64, d=64, L=2, MLP 4x: per layer 12 d^2 + 13 d = 49,152 + 832 = 49,984;
        // body = 2 x 49,984 + 2 d (final LayerNorm) = 100,096; embeddings 256 x 64 + 64 x 64 = 20,480.
        ParameterCounts c = ParameterCounts.closedForm(new GptShape(256, 64, 64, 2, 2, 4));
        assertEquals(100_096, c.nonEmbedding());
        assertEquals(120_576, c.total());
        assertEquals(100_096 + 16_384, c.nonEmbeddingWithHead());
        assertEquals(c.total(), c.get(ParamConvention.TOTAL));
        assertEquals(c.nonEmbedding(), c.get(ParamConvention.NON_EMBEDDING));
        assertEquals(c.nonEmbeddingWithHead(), c.get(ParamConvention.NON_EMBEDDING_WITH_HEAD));
    }

    @Test
    void gpt2SmallMatchesItsPublishedSize() {
        // GPT-2 small with its 50,257-token vocabulary and tied head has 124,439,808 parameters
        // (the count nanoGPT prints before it subtracts the position embeddings).
        ParameterCounts c = ParameterCounts.closedForm(new GptShape(50_257, 1024, 768, 12, 12, 4));
        assertEquals(124_439_808, c.total());
        assertEquals(84_934_656 + 12 * 13 * 768 + 2 * 768, c.nonEmbedding());
    }

    @Test
    void builtModelAgreesWithClosedFormForManyShapes() {
        for (int v : new int[] {7, 256, 1000}) {
            for (int layers = 1; layers <= 3; layers++) {
                for (int ratio : new int[] {1, 4}) {
                    GptShape s = new GptShape(v, 16, 24, layers, 3, ratio);
                    ParameterLayout layout = ParameterLayout.of(s);
                    assertEquals(ParameterCounts.closedForm(s), layout.counts(), s.toString());
                }
            }
        }
    }

    @Test
    void weightDecayedPrefixHoldsExactlyTheMatrices() {
        ParameterLayout layout = ParameterLayout.of(new GptShape(50, 8, 16, 2, 2, 4));
        long matrices = 0;
        boolean seenVector = false;
        for (ParameterLayout.Entry e : layout.entries()) {
            if (e.decayed()) {
                assertTrue(!seenVector, "2-D weights must come before every vector: " + e.name());
                matrices += e.size();
            } else {
                seenVector = true;
            }
        }
        assertEquals(matrices, layout.decayedSize());
        assertEquals(layout.size(), layout.entries().stream().mapToLong(ParameterLayout.Entry::size).sum());
    }
}
