package org.scalinglab.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * Where each parameter lives in one flat buffer. All parameters are views of that buffer so that
 * clipping, AdamW and zeroing are a handful of whole-buffer ops instead of several per parameter.
 * The weight-decayed 2-D weights come first, so decay is one op on the prefix {@code [0, decayed)}.
 */
public final class ParameterLayout {

    /** What a parameter is, for counting and initialisation. */
    public enum Kind {
        TOKEN_EMBEDDING, POSITION_EMBEDDING, WEIGHT, RESIDUAL_WEIGHT, BIAS, NORM_GAIN, NORM_BIAS
    }

    /** One parameter: its name, shape, offset in the flat buffer and kind. */
    public record Entry(String name, long[] shape, long offset, long size, Kind kind) {
        public boolean decayed() {
            return shape.length == 2;
        }
    }

    /**
     * One block's parameters by role, as {@link Gpt} uses them: where they are in {@link #entries()}
     * ({@link #weights()}), or their views of the flat buffer during a forward pass ({@link #map}).
     */
    public record Layer<T>(T ln1Gain, T ln1Bias, T qkvWeight, T qkvBias, T attnProjWeight, T attnProjBias,
            T ln2Gain, T ln2Bias, T fcWeight, T fcBias, T mlpProjWeight, T mlpProjBias) {
        public <U> Layer<U> map(Function<? super T, ? extends U> f) {
            return new Layer<>(f.apply(ln1Gain), f.apply(ln1Bias), f.apply(qkvWeight), f.apply(qkvBias),
                    f.apply(attnProjWeight), f.apply(attnProjBias), f.apply(ln2Gain), f.apply(ln2Bias),
                    f.apply(fcWeight), f.apply(fcBias), f.apply(mlpProjWeight), f.apply(mlpProjBias));
        }
    }

    /** The model's parameters by role; the output head is the token embedding (tied). */
    public record Weights<T>(T tokenEmbedding, T positionEmbedding, List<Layer<T>> layers, T finalNormGain,
            T finalNormBias) {
        public <U> Weights<U> map(Function<? super T, ? extends U> f) {
            return new Weights<>(f.apply(tokenEmbedding), f.apply(positionEmbedding),
                    layers.stream().<Layer<U>>map(l -> l.map(f)).toList(), f.apply(finalNormGain),
                    f.apply(finalNormBias));
        }
    }

    private final GptShape shape;
    private final List<Entry> entries;
    private final Weights<Integer> weights;
    private final long size;
    private final long decayedSize;

    private ParameterLayout(GptShape shape, List<Entry> entries, Weights<Integer> weights) {
        this.shape = shape;
        this.entries = Collections.unmodifiableList(entries);
        this.weights = weights;
        Entry last = entries.get(entries.size() - 1);
        this.size = last.offset() + last.size();
        this.decayedSize = entries.stream().filter(Entry::decayed).mapToLong(Entry::size).sum();
    }

    /** The order of {@link #entries()} is the order of the flat buffer: the matrices first, then the vectors. */
    public static ParameterLayout of(GptShape s) {
        long d = s.dModel();
        long f = s.mlpWidth();
        int layers = s.layers();
        Builder b = new Builder();
        int wte = b.add("wte", Kind.TOKEN_EMBEDDING, s.vocab(), d);
        int wpe = b.add("wpe", Kind.POSITION_EMBEDDING, s.context(), d);
        int[] qkvWeight = new int[layers];
        int[] attnProjWeight = new int[layers];
        int[] fcWeight = new int[layers];
        int[] mlpProjWeight = new int[layers];
        for (int l = 0; l < layers; l++) {
            qkvWeight[l] = b.add("h" + l + ".attn.qkv.weight", Kind.WEIGHT, 3 * d, d);
            attnProjWeight[l] = b.add("h" + l + ".attn.proj.weight", Kind.RESIDUAL_WEIGHT, d, d);
            fcWeight[l] = b.add("h" + l + ".mlp.fc.weight", Kind.WEIGHT, f, d);
            mlpProjWeight[l] = b.add("h" + l + ".mlp.proj.weight", Kind.RESIDUAL_WEIGHT, d, f);
        }
        List<Layer<Integer>> blocks = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            int ln1Gain = b.add("h" + l + ".ln1.weight", Kind.NORM_GAIN, d);
            int ln1Bias = b.add("h" + l + ".ln1.bias", Kind.NORM_BIAS, d);
            int qkvBias = b.add("h" + l + ".attn.qkv.bias", Kind.BIAS, 3 * d);
            int attnProjBias = b.add("h" + l + ".attn.proj.bias", Kind.BIAS, d);
            int ln2Gain = b.add("h" + l + ".ln2.weight", Kind.NORM_GAIN, d);
            int ln2Bias = b.add("h" + l + ".ln2.bias", Kind.NORM_BIAS, d);
            int fcBias = b.add("h" + l + ".mlp.fc.bias", Kind.BIAS, f);
            int mlpProjBias = b.add("h" + l + ".mlp.proj.bias", Kind.BIAS, d);
            blocks.add(new Layer<>(ln1Gain, ln1Bias, qkvWeight[l], qkvBias, attnProjWeight[l], attnProjBias,
                    ln2Gain, ln2Bias, fcWeight[l], fcBias, mlpProjWeight[l], mlpProjBias));
        }
        int lnfGain = b.add("ln_f.weight", Kind.NORM_GAIN, d);
        int lnfBias = b.add("ln_f.bias", Kind.NORM_BIAS, d);
        return new ParameterLayout(s, b.entries, new Weights<>(wte, wpe, List.copyOf(blocks), lnfGain, lnfBias));
    }

    public GptShape shape() {
        return shape;
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Where each parameter is in {@link #entries()}, by its role in the model. */
    public Weights<Integer> weights() {
        return weights;
    }

    /** Total numbers in the flat buffer. */
    public long size() {
        return size;
    }

    /** Length of the weight-decayed prefix. */
    public long decayedSize() {
        return decayedSize;
    }

    /** Sizes of the entries in order, for splitting the flat buffer. */
    public long[] sizes() {
        return entries.stream().mapToLong(Entry::size).toArray();
    }

    /** The counts as read from the layout (the built model), not from the closed form. */
    public ParameterCounts counts() {
        long embeddings = 0;
        long tokenEmbedding = 0;
        for (Entry e : entries) {
            if (e.kind() == Kind.TOKEN_EMBEDDING) {
                tokenEmbedding += e.size();
            }
            if (e.kind() == Kind.TOKEN_EMBEDDING || e.kind() == Kind.POSITION_EMBEDDING) {
                embeddings += e.size();
            }
        }
        long body = size - embeddings;
        return new ParameterCounts(size, body, body + tokenEmbedding);
    }

    private static final class Builder {
        private final List<Entry> entries = new ArrayList<>();
        private long offset;

        /** Appends a parameter; returns its index in the entries. */
        int add(String name, Kind kind, long... dims) {
            long n = 1;
            for (long dim : dims) {
                n *= dim;
            }
            entries.add(new Entry(name, dims, offset, n, kind));
            offset += n;
            return entries.size() - 1;
        }
    }
}
