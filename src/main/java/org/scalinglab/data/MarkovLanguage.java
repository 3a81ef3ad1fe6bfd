package org.scalinglab.data;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.scalinglab.config.DataConfig.MarkovConfig;

/**
 * A synthetic language whose entropy rate is known exactly: an order-k Markov chain over V tokens.
 * Each of the V^k contexts (the last k tokens) gets {@code branching} distinct successors, chosen with
 * the seed, that take Zipf(s) probabilities in a seeded order; that distribution is mixed with
 * {@code uniformMix} of the uniform one over all V tokens, so every transition is possible and the
 * chain is ergodic. With {@code popularityExponent} s > 0 the successors are drawn with token t
 * weighted (t+1)^-s instead of uniformly, which gives contexts a heavy-tailed frequency.
 *
 * <p>Its entropy rate is H = sum over contexts of pi(ctx) H(next | ctx), pi the stationary distribution
 * over contexts. Every context's next-token distribution is a permutation of one vector (b successor
 * probabilities (1-u) zipf_r + u/V, and u/V for the V-b other tokens), so H(next | ctx) is the same h
 * for every context and H = h exactly, whatever pi is. pi, from power iteration, gives the generated
 * stream its stationary start; the tests check sum pi(ctx) H(next | ctx) = h from the transitions.
 *
 * <p>A context is the base-V number of its k tokens, the newest the least significant digit, so the
 * step from context c with token t leads to (c mod V^(k-1)) V + t.
 */
final class MarkovLanguage {
    private static final double TOLERANCE = 1e-13;
    /** Power iteration stops at about 2e9 multiply-adds: a 4M-context chain that mixes slowly would take minutes. */
    private static final double WORK_BUDGET = 2e9;

    private final double mix;
    private final int vocab;
    private final int order;
    private final int branching;
    private final int contexts;
    private final long seed;
    /** successors[ctx * branching + rank]: the successor of rank r (0 = most likely). */
    private final byte[] successors;
    /** Zipf weight of each rank, summing to 1. */
    private final double[] zipf;
    private final double[] zipfCumulative;
    /** Probability of the successor of each rank, its uniform share included. */
    private final double[] rankProbability;
    private final double entropyRate;
    private final double[] stationary;
    private int iterations;
    private double residual;

    MarkovLanguage(MarkovConfig config) {
        vocab = config.vocab();
        order = config.order();
        branching = config.branching();
        mix = config.uniformMix();
        seed = config.seed();
        if (vocab < 2 || vocab > 256 || order < 1 || branching < 1 || branching > vocab
                || Math.pow(vocab, order) > 1 << 22 || !(mix > 0 && mix < 1) || !(config.zipfExponent() >= 0)) {
            throw new IllegalArgumentException("invalid markov config " + config);
        }
        contexts = (int) Math.round(Math.pow(vocab, order));

        zipf = new double[branching];
        double sum = 0;
        for (int r = 0; r < branching; r++) {
            zipf[r] = Math.pow(r + 1, -config.zipfExponent());
            sum += zipf[r];
        }
        zipfCumulative = new double[branching];
        rankProbability = new double[branching];
        double rest = mix / vocab;
        double h = -(vocab - branching) * rest * Math.log(rest);
        double cumulative = 0;
        for (int r = 0; r < branching; r++) {
            zipf[r] /= sum;
            cumulative += zipf[r];
            zipfCumulative[r] = cumulative;
            rankProbability[r] = (1 - mix) * zipf[r] + rest;
            h -= rankProbability[r] * Math.log(rankProbability[r]);
        }
        zipfCumulative[branching - 1] = 1.0;
        entropyRate = h;

        SplittableRandom structure = new SplittableRandom(WindowSampler.mix(seed, 1, 0));
        successors = config.popularityExponent() > 0
                ? popularSuccessors(structure, config.popularityExponent())
                : uniformSuccessors(structure);
        stationary = powerIteration();
    }

    /**
     * A partial Fisher-Yates shuffle per context, continuing one running permutation, gives a uniformly
     * random ordered choice of `branching` distinct tokens in O(branching) per context.
     */
    private byte[] uniformSuccessors(SplittableRandom structure) {
        int[] perm = new int[vocab];
        Arrays.setAll(perm, t -> t);
        byte[] chosen = new byte[contexts * branching];
        for (int ctx = 0; ctx < contexts; ctx++) {
            for (int r = 0; r < branching; r++) {
                int j = r + structure.nextInt(vocab - r);
                int t = perm[j];
                perm[j] = perm[r];
                perm[r] = t;
                chosen[ctx * branching + r] = (byte) t;
            }
        }
        return chosen;
    }

    /**
     * Successors drawn one by one without replacement, token t with weight (t+1)^-s among those not yet
     * chosen, so that low tokens follow most contexts and high ones few: their contexts become rare,
     * with a heavy tail of frequencies like natural text's, which a model learns one frequency at a
     * time. The rank each draw gets is its draw order, so popular tokens also take the likely ranks.
     */
    private byte[] popularSuccessors(SplittableRandom structure, double s) {
        double[] weight = new double[vocab];
        double total = 0;
        for (int t = 0; t < vocab; t++) {
            weight[t] = Math.pow(t + 1, -s);
            total += weight[t];
        }
        boolean[] taken = new boolean[vocab];
        byte[] chosen = new byte[contexts * branching];
        for (int ctx = 0; ctx < contexts; ctx++) {
            Arrays.fill(taken, false);
            double left = total;
            for (int r = 0; r < branching; r++) {
                double u = structure.nextDouble() * left;
                int t = -1;
                for (int i = 0; i < vocab; i++) {
                    if (!taken[i]) {
                        t = i; // the last free token, should rounding leave u >= 0
                        u -= weight[i];
                        if (u < 0) {
                            break;
                        }
                    }
                }
                taken[t] = true;
                left -= weight[t];
                chosen[ctx * branching + r] = (byte) t;
            }
        }
        return chosen;
    }

    int successor(int context, int rank) {
        return successors[context * branching + rank] & 0xFF;
    }

    /** P(next = token | context). */
    double probability(int context, int token) {
        for (int r = 0; r < branching; r++) {
            if (successor(context, r) == token) {
                return rankProbability[r];
            }
        }
        return mix / vocab;
    }

    /** Entropy rate in nats per token. */
    double entropyRate() {
        return entropyRate;
    }

    double[] stationary() {
        return stationary.clone();
    }

    /**
     * H(X_j | X_0..X_{j-1}) for j = 0..order-1, exact: the entropy of j+1 consecutive tokens minus that of
     * j, each block's distribution the marginal of pi over a context's newest digits (pi is the
     * distribution of any k consecutive tokens of the stationary stream). A window's first tokens see
     * fewer than k predecessors, so they are less predictable than the rate.
     */
    double[] startEntropies() {
        double[] block = new double[order + 1];
        for (int m = 1; m <= order; m++) {
            int size = (int) Math.round(Math.pow(vocab, m));
            double[] marginal = new double[size];
            for (int ctx = 0; ctx < contexts; ctx++) {
                marginal[ctx % size] += stationary[ctx];
            }
            for (double q : marginal) {
                block[m] -= q > 0 ? q * Math.log(q) : 0;
            }
        }
        double[] start = new double[order];
        for (int j = 0; j < order; j++) {
            start[j] = block[j + 1] - block[j];
        }
        return start;
    }

    /** The entropy rate and the window's first targets' entropies, all a loss floor needs. */
    Entropies entropies() {
        return new Entropies(entropyRate, startEntropies());
    }

    /**
     * The entropy rate and H(X_j | X_<j) for j below the order, kept apart from the chain so that
     * holding them costs nothing.
     */
    record Entropies(double rate, double[] start) {
        /**
         * The lowest mean loss any model reaches on windows of context + 1 tokens, the irreducible loss a
         * fit of runs with that context should find: target j (1..context) is predicted from j tokens, so
         * the first k-1 targets cost H(X_j | X_<j), the rest the rate. It exceeds the rate by
         * sum_j (H(X_j | X_<j) - H) / context, which only a long context makes negligible.
         */
        double windowFloor(int context) {
            double sum = 0;
            for (int j = 1; j <= context; j++) {
                sum += j < start.length ? start[j] : rate;
            }
            return sum / context;
        }
    }

    int contexts() {
        return contexts;
    }

    int iterations() {
        return iterations;
    }

    /** L1 change of pi in the last power-iteration step. */
    double residual() {
        return residual;
    }

    /**
     * pi <- pi P from the uniform distribution until the L1 change is below 1e-13 (or the work budget is
     * spent). The uniform share reaches every token from the summed mass of the contexts that share a
     * suffix; the Zipf share goes to each context's successors. pi is only the start of the stream: H does
     * not depend on it.
     */
    private double[] powerIteration() {
        int suffixes = contexts / vocab;
        int maxIterations = (int) Math.max(100, WORK_BUDGET / ((double) contexts * (branching + 2)));
        double[] pi = new double[contexts];
        Arrays.fill(pi, 1.0 / contexts);
        double[] next = new double[contexts];
        double change = Double.POSITIVE_INFINITY;
        int it = 0;
        while (change > TOLERANCE && it < maxIterations) {
            // context c = d * suffixes + s (d its oldest token) steps to s * vocab + t: one block of `next`
            // per suffix s, filled from the vocab contexts that share it
            for (int s = 0; s < suffixes; s++) {
                int base = s * vocab;
                double mass = 0;
                for (int c = s; c < contexts; c += suffixes) {
                    mass += pi[c];
                }
                Arrays.fill(next, base, base + vocab, mix / vocab * mass);
                for (int c = s; c < contexts; c += suffixes) {
                    double m = (1 - mix) * pi[c];
                    int row = c * branching;
                    for (int r = 0; r < branching; r++) {
                        next[base + (successors[row + r] & 0xFF)] += m * zipf[r];
                    }
                }
            }
            double total = 0;
            for (double v : next) {
                total += v;
            }
            change = 0;
            for (int c = 0; c < contexts; c++) {
                double v = next[c] / total;
                change += Math.abs(v - pi[c]);
                pi[c] = v;
            }
            it++;
        }
        iterations = it;
        residual = change;
        return pi;
    }

    /**
     * {@code n} tokens: the first k are a context drawn from pi, so the stream is stationary from its
     * start; each next token is uniform with probability uniformMix, else a Zipf-ranked successor.
     */
    byte[] generate(long n) {
        if (n < order || n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("markov tokens " + n);
        }
        byte[] out = new byte[(int) n];
        SplittableRandom random = new SplittableRandom(WindowSampler.mix(seed, 2, 0));
        double u = random.nextDouble();
        int ctx = contexts - 1;
        double cumulative = 0;
        for (int c = 0; c < contexts; c++) {
            cumulative += stationary[c];
            if (u < cumulative) {
                ctx = c;
                break;
            }
        }
        for (int j = 0, rest = ctx; j < order; j++, rest /= vocab) {
            out[order - 1 - j] = (byte) (rest % vocab);
        }
        int suffixes = contexts / vocab;
        for (int i = order; i < n; i++) {
            int t;
            if (random.nextDouble() < mix) {
                t = random.nextInt(vocab);
            } else {
                double z = random.nextDouble();
                int rank = 0;
                while (zipfCumulative[rank] <= z) {
                    rank++;
                }
                t = successor(ctx, rank);
            }
            out[i] = (byte) t;
            ctx = (ctx % suffixes) * vocab + t;
        }
        return out;
    }
}
