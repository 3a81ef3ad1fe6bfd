package org.scalinglab.config;

/** Where tokens come from and how they are split. */
public record DataConfig(DataSource source, String path, int vocabSize, double valFraction, long splitBlockTokens,
        MarkovConfig markov) {

    public enum DataSource {
        EMBEDDED, TEXT, NANOGPT, LLMC, MARKOV
    }

    /** The synthetic order-k Markov language whose entropy rate is known exactly. */
    public record MarkovConfig(int vocab, int order, int branching, double zipfExponent, double popularityExponent,
            double uniformMix,
            long tokens, long seed) {}
}
