package org.scalinglab.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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

    private final GptShape shape;
    private final List<Entry> entries;
    private final long size;
    private final long decayedSize;

    private ParameterLayout(GptShape shape, List<Entry> entries) {
        this.shape = shape;
        this.entries = Collections.unmodifiableList(entries);
        Entry last = entries.get(entries.size() - 1);
        this.size = last.offset() + last.size();
        this.decayedSize = entries.stream().filter(Entry::decayed).mapToLong(Entry::size).sum();
    }

    /** The order of {@link #entries()} is the order {@link Gpt} reads them in. */
    public static ParameterLayout of(GptShape s) {
        long d = s.dModel();
        long f = s.mlpWidth();
        Builder b = new Builder();
        b.add("wte", Kind.TOKEN_EMBEDDING, s.vocab(), d);
        b.add("wpe", Kind.POSITION_EMBEDDING, s.context(), d);
        for (int l = 0; l < s.layers(); l++) {
            b.add("h" + l + ".attn.qkv.weight", Kind.WEIGHT, 3 * d, d);
            b.add("h" + l + ".attn.proj.weight", Kind.RESIDUAL_WEIGHT, d, d);
            b.add("h" + l + ".mlp.fc.weight", Kind.WEIGHT, f, d);
            b.add("h" + l + ".mlp.proj.weight", Kind.RESIDUAL_WEIGHT, d, f);
        }
        for (int l = 0; l < s.layers(); l++) {
            b.add("h" + l + ".ln1.weight", Kind.NORM_GAIN, d);
            b.add("h" + l + ".ln1.bias", Kind.NORM_BIAS, d);
            b.add("h" + l + ".attn.qkv.bias", Kind.BIAS, 3 * d);
            b.add("h" + l + ".attn.proj.bias", Kind.BIAS, d);
            b.add("h" + l + ".ln2.weight", Kind.NORM_GAIN, d);
            b.add("h" + l + ".ln2.bias", Kind.NORM_BIAS, d);
            b.add("h" + l + ".mlp.fc.bias", Kind.BIAS, f);
            b.add("h" + l + ".mlp.proj.bias", Kind.BIAS, d);
        }
        b.add("ln_f.weight", Kind.NORM_GAIN, d);
        b.add("ln_f.bias", Kind.NORM_BIAS, d);
        return new ParameterLayout(s, b.entries);
    }

    public GptShape shape() {
        return shape;
    }

    public List<Entry> entries() {
        return entries;
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

        void add(String name, Kind kind, long... dims) {
            long n = 1;
            for (long dim : dims) {
                n *= dim;
            }
            entries.add(new Entry(name, dims, offset, n, kind));
            offset += n;
        }
    }
}
