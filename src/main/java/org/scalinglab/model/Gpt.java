package org.scalinglab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;
import org.scalinglab.config.ModelConfig;
import org.scalinglab.engine.Tensors;
import org.scalinglab.model.ParameterLayout.Layer;
import org.scalinglab.model.ParameterLayout.Weights;

/**
 * The GPT decoder as a function of one flat parameter buffer: token plus learned position
 * embeddings, pre-LayerNorm blocks (causal multi-head attention, GELU MLP), a final LayerNorm, and
 * an output head tied to the token embedding.
 *
 * <p>Written on DJL's PyTorch NDArrays with libtorch's fused ops (linear, layer_norm, gelu,
 * log_softmax) called directly: each op costs a JNI call, so the forward pass keeps their number
 * small, and closes every intermediate as soon as it is consumed, since a Java wrapper keeps its
 * tensor alive until closed (autograd keeps its own references to what backward needs).
 *
 * <p>In float16 every activation is float16 except the loss, computed in float32. Keeping the
 * residual stream and LayerNorms in float32 instead (as autocast does) was measured on an H100: no
 * better loss over 3 seeds, and 7-11% slower (see docs/gpus.md, precision on a GPU).
 */
public final class Gpt implements AutoCloseable {
    private static final float LN_EPS = 1e-5f;

    private final GptShape shape;
    private final ParameterLayout layout;
    private final long[] sizes;
    private final long[][] shapes;
    private final Weights<Integer> index;

    private final PtNDArray causalMask;
    private final PtNDArray qkvRowScale;
    private final PtNDArray qkvBiasScale;
    private final DataType lossType;
    private final int blocks;
    private final PtNDArray[] blockMasks;

    /** A model with the default attention block ({@link ModelConfig#DEFAULT_ATTENTION_BLOCK}). */
    public Gpt(GptShape shape, NDManager manager, DataType computeType) {
        this(shape, manager, computeType, ModelConfig.DEFAULT_ATTENTION_BLOCK);
    }

    /**
     * @param manager where the causal mask lives (the training device's manager)
     * @param computeType the dtype of activations (float32, or float16 for mixed precision)
     * @param attentionBlock (config key {@code model.attention_block}) query rows per block of block-causal attention: a context that is a
     *     multiple of it (and longer) is attended to block by block, each block of queries against
     *     only the keys it may see, which skips the masked upper triangle's compute and memory
     *     traffic (a context of 4 blocks does 5/8 of the work)
     */
    public Gpt(GptShape shape, NDManager manager, DataType computeType, int attentionBlock) {
        this.shape = shape;
        this.layout = ParameterLayout.of(shape);
        this.sizes = layout.sizes();
        List<ParameterLayout.Entry> entries = layout.entries();
        this.shapes = new long[entries.size()][];
        for (int i = 0; i < shapes.length; i++) {
            shapes[i] = entries.get(i).shape();
        }
        this.index = layout.weights();
        this.causalMask = causalMask(manager, shape.context(), computeType);
        // float32 cross-entropy even for float16 activations; float64 stays float64 (gradient checks)
        this.lossType = computeType == DataType.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32;
        float[] rows = new float[3 * shape.dModel()];
        java.util.Arrays.fill(rows, 1f);
        java.util.Arrays.fill(rows, 0, shape.dModel(), (float) (1.0 / Math.sqrt(shape.headDim())));
        try (PtNDArray r = Tensors.owned(manager, rows, new Shape(rows.length, 1))) {
            this.qkvRowScale = Tensors.cast(r, computeType);
        }
        try (PtNDArray r = Tensors.owned(manager, rows, new Shape(rows.length))) {
            this.qkvBiasScale = Tensors.cast(r, computeType);
        }
        int t = shape.context();
        this.blocks = attentionBlock > 0 && t > attentionBlock && t % attentionBlock == 0 ? t / attentionBlock : 1;
        this.blockMasks = new PtNDArray[blocks];
        for (int i = 0; i < blocks && blocks > 1; i++) {
            int r = t / blocks;
            try (PtNDArray band = JniUtils.slice(causalMask, 0, (long) i * r, (long) (i + 1) * r, 1)) {
                blockMasks[i] = JniUtils.slice(band, 1, 0, (long) (i + 1) * r, 1);
            }
        }
    }

    public GptShape shape() {
        return shape;
    }

    public ParameterLayout layout() {
        return layout;
    }

    /** Additive mask: 0 where a position may attend (itself and earlier), -inf after it. */
    private static PtNDArray causalMask(NDManager manager, int t, DataType type) {
        float[] mask = new float[t * t];
        for (int i = 0; i < t; i++) {
            for (int j = i + 1; j < t; j++) {
                mask[i * t + j] = Float.NEGATIVE_INFINITY;
            }
        }
        try (PtNDArray m = Tensors.owned(manager, mask, new Shape(t, t))) {
            return Tensors.cast(m, type);
        }
    }

    /**
     * Mean next-token cross-entropy in nats, as a float32 scalar.
     *
     * @param params the flat parameter buffer ({@link ParameterLayout}); the gradient flows into it
     * @param inputs token ids, int64, shape (B, T)
     * @param targets next-token ids, int64, shape (B * T, 1)
     */
    public NDArray loss(NDArray params, NDArray inputs, NDArray targets) {
        PtNDArray picked = targetLogProbs(params, inputs, targets);
        PtNDArray mean = JniUtils.mean(picked);
        picked.close();
        PtNDArray loss = JniUtils.neg(mean);
        mean.close();
        return loss;
    }

    /**
     * Each window's mean next-token cross-entropy in nats, float32, shape (B): what an evaluation's
     * standard error is computed from. Same arguments as {@link #loss}.
     */
    public NDArray windowLosses(NDArray params, NDArray inputs, NDArray targets) {
        PtNDArray picked = targetLogProbs(params, inputs, targets);
        PtNDArray rows = JniUtils.reshape(picked, new long[] {inputs.getShape().get(0), -1});
        picked.close();
        PtNDArray mean = JniUtils.mean(rows, 1, false);
        rows.close();
        PtNDArray loss = JniUtils.neg(mean);
        mean.close();
        return loss;
    }

    /** The log-probability of each target token, float32, shape (B * T, 1); the gradient flows to params. */
    private PtNDArray targetLogProbs(NDArray params, NDArray inputs, NDArray targets) {
        PtNDArray[] w = views((PtNDArray) params);
        try {
            PtNDArray logits = logits(named(w), (PtNDArray) inputs, inputs.getShape().get(0));
            PtNDArray flat = JniUtils.reshape(logits, new long[] {-1, shape.vocab()});
            logits.close();
            // log_softmax's dtype argument casts inside autograd: float32 loss even for float16 logits
            PtNDArray logp = JniUtils.logSoftmax(flat, -1, lossType);
            flat.close();
            PtNDArray picked = JniUtils.gather(logp, (PtNDArray) targets, 1);
            logp.close();
            return picked;
        } finally {
            for (PtNDArray v : w) {
                v.close();
            }
        }
    }

    /**
     * What an evaluation reads per target token from one forward pass, on the host: ln p(target), the sum of
     * the squared probabilities (the Brier score is that - 2 p(target) + 1), and whether the most likely
     * token is the target (ties go to the lower token id, as in {@link #greedyContinuations}).
     */
    public record TokenScores(float[] logProb, float[] sumSquares, boolean[] correct) {}

    /** {@link TokenScores} of a batch (B * T of each), read to the host. Same arguments as {@link #loss}. */
    public TokenScores tokenScores(NDArray params, NDArray inputs, NDArray targets) {
        PtNDArray[] w = views((PtNDArray) params);
        try {
            long b = inputs.getShape().get(0);
            PtNDArray logits = logits(named(w), (PtNDArray) inputs, b);
            PtNDArray flat = JniUtils.reshape(logits, new long[] {-1, shape.vocab()});
            logits.close();
            PtNDArray logp = JniUtils.logSoftmax(flat, -1, lossType);
            flat.close();
            PtNDArray picked = JniUtils.gather(logp, (PtNDArray) targets, 1);
            PtNDArray top = JniUtils.argMax(logp, 1, true);
            PtNDArray hit = JniUtils.eq(top, (PtNDArray) targets);
            top.close();
            PtNDArray p = JniUtils.exp(logp);
            logp.close();
            PtNDArray sq = JniUtils.mul(p, p);
            p.close();
            PtNDArray ss = JniUtils.sum(sq, new long[] {1}, false);
            sq.close();
            try {
                return new TokenScores(floats(picked), floats(ss), hit.toBooleanArray());
            } finally {
                picked.close();
                hit.close();
                ss.close();
            }
        } finally {
            for (PtNDArray v : w) {
                v.close();
            }
        }
    }

    /** A float32 or (gradient checks, tests) float64 array's values as floats. */
    private static float[] floats(PtNDArray a) {
        if (a.getDataType() != DataType.FLOAT64) {
            return a.toFloatArray();
        }
        double[] d = a.toDoubleArray();
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    /**
     * Greedy (argmax) continuations of {@code k} tokens after each prompt row, with a key-value cache: one
     * forward pass over the prompts, then one single-token pass per further token, whose attention reads
     * the cached keys and values instead of recomputing the prefix. Each token is read to the host as it is
     * chosen (it is the next pass's input anyway).
     *
     * @param prompts token ids, int64, shape (S, P), with P + k - 1 <= context
     * @return {@code [row][j]}: the j-th token appended to row's prompt
     */
    public long[][] greedyContinuations(NDArray params, NDArray prompts, int k) {
        int rows = (int) prompts.getShape().get(0);
        int p = (int) prompts.getShape().get(1);
        if (k < 1 || p < 1 || p + k - 1 > shape.context()) {
            throw new IllegalArgumentException("prompt " + p + " + " + k + " tokens exceeds the context "
                    + shape.context());
        }
        long[][] out = new long[rows][k];
        PtNDArray[] w = views((PtNDArray) params);
        KvCache cache = new KvCache(shape.layers());
        PtNDArray mask = null;
        try {
            PtNDArray band = JniUtils.slice(causalMask, 0, 0, p, 1);
            mask = JniUtils.slice(band, 1, 0, p, 1);
            band.close();
            Weights<PtNDArray> named = named(w);
            PtNDArray next = nextToken(named, (PtNDArray) prompts, 0, p, mask, cache, rows);
            read(next, out, 0);
            for (int j = 1; j < k; j++) {
                PtNDArray step = nextToken(named, next, p + j - 1, 1, null, cache, rows);
                next.close();
                next = step;
                read(next, out, j);
            }
            next.close();
            return out;
        } finally {
            if (mask != null) {
                mask.close();
            }
            cache.close();
            for (PtNDArray v : w) {
                v.close();
            }
        }
    }

    private static void read(PtNDArray tokens, long[][] out, int j) {
        long[] v = tokens.toLongArray();
        for (int r = 0; r < v.length; r++) {
            out[r][j] = v[r];
        }
    }

    /** The argmax token after the last of {@code t} new positions starting at {@code from}, shape (rows, 1). */
    private PtNDArray nextToken(Weights<PtNDArray> w, PtNDArray tokens, int from, int t, PtNDArray mask,
            KvCache cache, long rows) {
        PtNDArray tok = JniUtils.embedding(tokens, w.tokenEmbedding(), false);
        PtNDArray pos = JniUtils.slice(w.positionEmbedding(), 0, from, from + t, 1);
        PtNDArray x = JniUtils.add(tok, pos);
        tok.close();
        pos.close();
        for (int l = 0; l < shape.layers(); l++) {
            x = block(x, rows, t, mask, cache, l, w.layers().get(l));
        }
        PtNDArray last = t == 1 ? x : JniUtils.slice(x, 1, t - 1, t, 1);
        PtNDArray h = JniUtils.layerNorm(last, new Shape(shape.dModel()), w.finalNormGain(), w.finalNormBias(),
                LN_EPS);
        if (last != x) {
            last.close();
        }
        x.close();
        PtNDArray logits = JniUtils.linear(h, w.tokenEmbedding(), null); // (rows, 1, vocab)
        h.close();
        PtNDArray flat = JniUtils.reshape(logits, new long[] {rows, shape.vocab()});
        logits.close();
        PtNDArray next = JniUtils.argMax(flat, 1, true); // (rows, 1)
        flat.close();
        return next;
    }

    /** Logits (B, T, vocab) of a batch, without the loss; for tests that compute a metric directly. */
    public NDArray logits(NDArray params, NDArray inputs) {
        PtNDArray[] w = views((PtNDArray) params);
        try {
            return logits(named(w), (PtNDArray) inputs, inputs.getShape().get(0));
        } finally {
            for (PtNDArray v : w) {
                v.close();
            }
        }
    }

    /**
     * Parameters as views of the flat buffer: one split, then a reshape for each matrix (vectors
     * are already 1-D). No copies; each JNI call saved is a few microseconds per step.
     */
    private PtNDArray[] views(PtNDArray params) {
        NDList pieces = JniUtils.split(params, sizes, 0);
        PtNDArray[] w = new PtNDArray[sizes.length];
        for (int i = 0; i < w.length; i++) {
            PtNDArray piece = (PtNDArray) pieces.get(i);
            if (shapes[i].length == 1) {
                w[i] = piece;
            } else {
                w[i] = JniUtils.reshape(piece, shapes[i]);
                piece.close();
            }
        }
        return w;
    }

    /** The views by their role in the model (they are still closed through the array). */
    private Weights<PtNDArray> named(PtNDArray[] w) {
        return index.map(i -> w[i]);
    }

    private PtNDArray logits(Weights<PtNDArray> w, PtNDArray inputs, long batch) {
        PtNDArray tok = JniUtils.embedding(inputs, w.tokenEmbedding(), false);
        PtNDArray x = JniUtils.add(tok, w.positionEmbedding()); // (B, T, d) + (T, d): learned positions
        tok.close();
        for (int l = 0; l < shape.layers(); l++) {
            x = block(x, batch, shape.context(), causalMask, null, l, w.layers().get(l));
        }
        PtNDArray h = JniUtils.layerNorm(x, new Shape(shape.dModel()), w.finalNormGain(), w.finalNormBias(), LN_EPS);
        x.close();
        PtNDArray logits = JniUtils.linear(h, w.tokenEmbedding(), null); // head tied to the token embedding
        h.close();
        return logits;
    }

    /**
     * One pre-LayerNorm block over {@code t} positions; with a cache (greedy decoding) the attention also
     * reads, and appends to, the layer's cached keys and values.
     */
    private PtNDArray block(PtNDArray x, long batch, int t, PtNDArray mask, KvCache cache, int layer,
            Layer<PtNDArray> w) {
        Shape norm = new Shape(shape.dModel());
        PtNDArray h = JniUtils.layerNorm(x, norm, w.ln1Gain(), w.ln1Bias(), LN_EPS);
        PtNDArray attn = attention(h, batch, t, mask, cache, layer, w);
        h.close();
        PtNDArray x1 = JniUtils.add(x, attn);
        x.close();
        attn.close();
        PtNDArray h2 = JniUtils.layerNorm(x1, norm, w.ln2Gain(), w.ln2Bias(), LN_EPS);
        PtNDArray up = JniUtils.linear(h2, w.fcWeight(), w.fcBias());
        h2.close();
        PtNDArray act = JniUtils.gelu(up);
        up.close();
        PtNDArray down = JniUtils.linear(act, w.mlpProjWeight(), w.mlpProjBias());
        act.close();
        PtNDArray x2 = JniUtils.add(x1, down);
        x1.close();
        down.close();
        return x2;
    }

    /**
     * Causal self-attention: matmul, mask, softmax, matmul (DJL has no fused attention kernel).
     * The 1/sqrt(hd) scale is folded into the q rows of the projection (3d x d numbers instead of
     * B x T x d), and one copy lays q, k and v out head-major so that both batched matmuls read
     * them without further copies (k is read transposed in place).
     */
    private PtNDArray attention(PtNDArray h, long batch, int t, PtNDArray mask, KvCache cache, int layer,
            Layer<PtNDArray> weights) {
        int heads = shape.heads();
        int hd = shape.headDim();
        int d = shape.dModel();
        long bh = batch * heads;
        PtNDArray w = JniUtils.mul(weights.qkvWeight(), qkvRowScale);
        PtNDArray b = JniUtils.mul(weights.qkvBias(), qkvBiasScale);
        PtNDArray qkv = JniUtils.linear(h, w, b); // (B, T, 3d), q already scaled
        w.close();
        b.close();
        PtNDArray split = JniUtils.reshape(qkv, new long[] {batch, t, 3, heads, hd});
        qkv.close();
        PtNDArray perm = JniUtils.permute(split, new long[] {2, 0, 3, 1, 4}); // (3, B, H, T, hd) view
        split.close();
        PtNDArray packed = JniUtils.reshape(perm, new long[] {3, bh, t, hd}); // the one copy
        perm.close();
        NDList parts = JniUtils.split(packed, 1, 0);
        packed.close();
        long[] each = {bh, t, hd};
        PtNDArray q = JniUtils.reshape((PtNDArray) parts.get(0), each);
        PtNDArray k = JniUtils.reshape((PtNDArray) parts.get(1), each);
        PtNDArray v = JniUtils.reshape((PtNDArray) parts.get(2), each);
        parts.close();
        PtNDArray y;
        if (cache == null) {
            y = blocks == 1 ? attend(q, k, v, mask) : blockCausal(q, k, v); // (BH, T, hd)
            k.close();
            v.close();
        } else {
            y = attend(q, cache.keys(layer, k), cache.values(layer, v), mask); // the cache owns k and v now
        }
        q.close();
        PtNDArray y4 = JniUtils.reshape(y, new long[] {batch, heads, t, hd});
        y.close();
        PtNDArray yt = JniUtils.transpose(y4, 1, 2); // (B, T, H, hd)
        y4.close();
        PtNDArray merged = JniUtils.reshape(yt, new long[] {batch, t, d});
        yt.close();
        PtNDArray out = JniUtils.linear(merged, weights.attnProjWeight(), weights.attnProjBias());
        merged.close();
        return out;
    }

    /** softmax(q k^T + mask) v, for queries q against the keys k and values v they may see (no mask: all). */
    private static PtNDArray attend(PtNDArray q, PtNDArray k, PtNDArray v, PtNDArray mask) {
        PtNDArray kt = JniUtils.transpose(k, 1, 2); // read transposed in place by the batched matmul
        PtNDArray scores = JniUtils.matmul(q, kt);
        kt.close();
        if (mask != null) {
            JniUtils.addi(scores, mask); // in place: matmul's backward does not need its output
        }
        PtNDArray p = JniUtils.softmax(scores, -1, scores.getDataType());
        scores.close();
        PtNDArray y = JniUtils.matmul(p, v);
        p.close();
        return y;
    }

    /** Attention block by block of queries: block i sees keys 0 .. (i+1) x rows, no more. */
    private PtNDArray blockCausal(PtNDArray q, PtNDArray k, PtNDArray v) {
        int r = shape.context() / blocks;
        PtNDArray[] ys = new PtNDArray[blocks];
        for (int i = 0; i < blocks; i++) {
            long seen = (long) (i + 1) * r;
            PtNDArray qi = JniUtils.slice(q, 1, (long) i * r, seen, 1);
            PtNDArray ki = JniUtils.slice(k, 1, 0, seen, 1);
            PtNDArray vi = JniUtils.slice(v, 1, 0, seen, 1);
            ys[i] = attend(qi, ki, vi, blockMasks[i]);
            qi.close();
            ki.close();
            vi.close();
        }
        PtNDArray y = JniUtils.cat(ys, 1);
        for (PtNDArray part : ys) {
            part.close();
        }
        return y;
    }

    @Override
    public void close() {
        causalMask.close();
        qkvRowScale.close();
        qkvBiasScale.close();
        for (PtNDArray m : blockMasks) {
            if (m != null) {
                m.close();
            }
        }
    }
}
