package org.scalinglab.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.scalinglab.config.FlopConvention;

class FlopsTest {

    @Test
    void kaplanIsSixNPlusTheAttentionTerm() {
        GptShape s = new GptShape(256, 64, 64, 2, 2, 4);
        // N = 100,096 (see ParameterCountsTest); 6N + 6 L T d = 600,576 + 49,152
        assertEquals(649_728, Flops.kaplan(s), 1e-9);
    }

    @Test
    void chinchillaAppendixFByHand() {
        // V=10, T=4, d=8, L=1, H=2, MLP 32 wide, per sequence (forward):
        // embeddings 2*4*10*8 = 640; QKV 2*3*4*8*8 = 1,536; K.Q 2*4*4*8 = 256; softmax 3*2*4*4 = 96;
        // softmax @ V 256; output projection 2*4*8*8 = 512; dense 2*4*(8*32 + 8*32) = 4,096;
        // final logits 2*4*8*10 = 640. Forward 8,032; training 3x = 24,096; per token / 4 = 6,024.
        GptShape s = new GptShape(10, 4, 8, 1, 2, 4);
        assertEquals(6_024, Flops.chinchilla(s), 1e-9);
        Flops.PerToken both = Flops.perToken(s);
        assertEquals(both.chinchilla(), both.get(FlopConvention.CHINCHILLA));
        assertEquals(both.kaplan(), both.get(FlopConvention.KAPLAN));
    }

    @Test
    void palmCountsAttentionTwiceKaplansAndTheHead() {
        // nanoGPT's GPT-2 small (V 50257, T 1024, d 768, 12 layers): get_num_params() = 123,653,376 (the token
        // embedding, tied to the head, counted; positions not), estimate_mfu = 6 N + 12 L H Q T per token
        GptShape gpt2 = new GptShape(50257, 1024, 768, 12, 12, 4);
        assertEquals(123_653_376, ParameterCounts.closedForm(gpt2).nonEmbeddingWithHead());
        assertEquals(6.0 * 123_653_376 + 12.0 * 12 * 1024 * 768, Flops.palm(gpt2), 1e-6);
        // against the count benchmark MFU used before: 6 L T d more (attention's score and value matmuls)
        GptShape tiny = new GptShape(256, 256, 128, 4, 4, 4);
        assertEquals(6.0 * 4 * 256 * 128, Flops.palm(tiny) - Flops.kaplanWithHead(tiny), 1e-6);
    }

    @Test
    void conventionsAgreeForLargeModelsAndShortContexts() {
        // With d >> T the attention terms vanish and both approach 6 N (+ the head in Chinchilla's).
        GptShape s = new GptShape(256, 128, 4096, 4, 32, 4);
        double n = ParameterCounts.closedForm(s).nonEmbedding();
        assertEquals(1.0, Flops.kaplan(s) / (6 * n), 0.01);
        assertEquals(1.0, Flops.chinchilla(s) / (6 * n + 12 * 256 * 4096), 0.01);
    }
}
