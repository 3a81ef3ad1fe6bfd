package org.scalinglab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.scalinglab.config.DataConfig.MarkovConfig;

class MarkovLanguageTest {
    private static MarkovLanguage language(int vocab, int order, int branching, double zipf, double mix, long seed) {
        return new MarkovLanguage(new MarkovConfig(vocab, order, branching, zipf, 0.0, mix, 1_000_000, seed));
    }

    @Test
    void uniformSuccessorsGiveLnV() {
        assertEquals(Math.log(32), language(32, 1, 32, 0, 0.01, 1).entropyRate(), 1e-12);
        assertEquals(Math.log(5), language(5, 3, 5, 0, 0.3, 2).entropyRate(), 1e-12);
    }

    @Test
    void twoStateChainsByHand() {
        double u = 0.1;
        // one successor: it has probability 1 - u/2, the other token u/2
        double p = u / 2;
        assertEquals(-p * Math.log(p) - (1 - p) * Math.log(1 - p), language(2, 1, 1, 1, u, 3).entropyRate(), 1e-12);
        // two successors, Zipf(1) weights 2/3 and 1/3
        double a = (1 - u) * 2 / 3 + u / 2;
        double b = (1 - u) / 3 + u / 2;
        assertEquals(-a * Math.log(a) - b * Math.log(b), language(2, 1, 2, 1, u, 4).entropyRate(), 1e-12);
    }

    @Test
    void stationaryDistributionOfATwoStateChain() {
        double u = 0.2;
        for (long seed = 0; seed < 8; seed++) {
            MarkovLanguage m = language(2, 1, 1, 1, u, seed);
            double stay = 1 - u / 2;
            double p01 = m.successor(0, 0) == 1 ? stay : 1 - stay;
            double p10 = m.successor(1, 0) == 0 ? stay : 1 - stay;
            assertEquals(p10 / (p01 + p10), m.stationary()[0], 1e-12, "seed " + seed);
        }
    }

    /** The general definition, sum_ctx pi(ctx) H(next | ctx), from the transition probabilities one by one. */
    @Test
    void entropyRateIsTheStationaryAverageOfConditionalEntropies() {
        MarkovLanguage m = language(6, 2, 3, 1.3, 0.05, 5);
        double[] pi = m.stationary();
        int v = 6;
        double h = 0;
        double[] next = new double[pi.length];
        for (int c = 0; c < pi.length; c++) {
            double hc = 0;
            double total = 0;
            for (int t = 0; t < v; t++) {
                double p = m.probability(c, t);
                total += p;
                hc -= p * Math.log(p);
                next[(c % (pi.length / v)) * v + t] += pi[c] * p;
            }
            assertEquals(1, total, 1e-12);
            h += pi[c] * hc;
        }
        for (int c = 0; c < pi.length; c++) {
            assertEquals(pi[c], next[c], 1e-13, "pi P = pi");
        }
        assertEquals(h, m.entropyRate(), 1e-12);
        assertTrue(m.residual() <= 1e-13);
    }

    /** The plug-in conditional entropy of a generated stream (Miller-Madow corrected) matches H. */
    @Test
    void generatedStreamHasTheEntropyRate() {
        int v = 8;
        int order = 2;
        MarkovLanguage m = language(v, order, 3, 1.0, 0.05, 11);
        int n = 2_000_000;
        byte[] s = m.generate(n);
        int contexts = v * v;
        long[] joint = new long[contexts * v];
        long[] marginal = new long[contexts];
        for (int i = order; i < n; i++) {
            int c = s[i - 2] * v + s[i - 1];
            joint[c * v + s[i]]++;
            marginal[c]++;
        }
        double h = 0;
        int cells = 0;
        int used = 0;
        long total = n - order;
        for (int c = 0; c < contexts; c++) {
            used += marginal[c] > 0 ? 1 : 0;
            for (int t = 0; t < v; t++) {
                long k = joint[c * v + t];
                if (k > 0) {
                    cells++;
                    h -= (double) k / total * Math.log((double) k / marginal[c]);
                }
            }
        }
        h += (cells - used) / (2.0 * total);
        // standard error about sqrt(Var[-ln p] / n) ~ 1e-3
        assertEquals(m.entropyRate(), h, 4e-3);
        // and the contexts occur with their stationary frequencies
        double[] pi = m.stationary();
        double l1 = 0;
        for (int c = 0; c < contexts; c++) {
            l1 += Math.abs((double) marginal[c] / total - pi[c]);
        }
        assertTrue(l1 < 0.02, "L1 " + l1);
    }

    /**
     * A window's first targets: H(X_0) and H(X_1 | X_0) against plug-in estimates from a generated
     * stream; the floor is their share of the window plus the rate for the rest, and equals the rate
     * for an order-1 chain, whose first target already sees its whole context.
     */
    @Test
    void windowFloorAddsTheFirstTargetsDeficit() {
        int v = 8;
        MarkovLanguage m = language(v, 2, 3, 1.0, 0.05, 11);
        int n = 2_000_000;
        byte[] s = m.generate(n);
        long[] unigram = new long[v];
        long[] bigram = new long[v * v];
        for (int i = 1; i < n; i++) {
            unigram[s[i]]++;
            bigram[s[i - 1] * v + s[i]]++;
        }
        double h1 = plugIn(unigram, n - 1);
        double h12 = plugIn(bigram, n - 1);
        double[] start = m.startEntropies();
        assertEquals(h1, start[0], 3e-3);
        assertEquals(h12 - h1, start[1], 3e-3);
        assertTrue(start[1] > m.entropyRate() && start[0] > start[1]);
        assertEquals((start[1] + 31 * m.entropyRate()) / 32, m.entropies().windowFloor(32), 1e-12);
        MarkovLanguage first = language(v, 1, 3, 1.0, 0.05, 11);
        assertEquals(first.entropyRate(), first.entropies().windowFloor(32), 1e-12);
    }

    private static double plugIn(long[] counts, long total) {
        double h = 0;
        for (long k : counts) {
            h -= k > 0 ? (double) k / total * Math.log((double) k / total) : 0;
        }
        return h;
    }

    /**
     * Popular successors: still distinct per context, still an entropy rate equal to h whatever pi is,
     * and now a skewed stationary distribution: token 0 follows far more contexts than the last token,
     * and the window floor still follows from it.
     */
    @Test
    void popularSuccessorsSkewTheContextsButKeepTheRate() {
        MarkovConfig c = new MarkovConfig(64, 1, 4, 1.0, 1.0, 0.01, 1_000_000, 9);
        MarkovLanguage popular = new MarkovLanguage(c);
        MarkovLanguage uniform = new MarkovLanguage(new MarkovConfig(64, 1, 4, 1.0, 0.0, 0.01, 1_000_000, 9));
        assertEquals(uniform.entropyRate(), popular.entropyRate(), 1e-12);
        int[] follows = new int[64];
        for (int ctx = 0; ctx < popular.contexts(); ctx++) {
            Set<Integer> s = new HashSet<>();
            for (int r = 0; r < 4; r++) {
                s.add(popular.successor(ctx, r));
                follows[popular.successor(ctx, r)]++;
            }
            assertEquals(4, s.size());
        }
        assertTrue(follows[0] > 4 * Math.max(1, follows[63]), Arrays.toString(follows));
        double[] pi = popular.stationary();
        assertTrue(pi[0] > 10 * pi[63], "pi[0] " + pi[0] + " pi[63] " + pi[63]);
        double h = 0;
        for (int ctx = 0; ctx < pi.length; ctx++) {
            for (int t = 0; t < 64; t++) {
                double p = popular.probability(ctx, t);
                h -= pi[ctx] * p * Math.log(p);
            }
        }
        assertEquals(h, popular.entropyRate(), 1e-12);
        assertEquals(popular.entropyRate(), popular.entropies().windowFloor(32), 1e-12);
    }

    @Test
    void successorsAreDistinctAndTheSeedDecidesEverything() {
        MarkovLanguage m = language(16, 2, 5, 1, 0.01, 3);
        for (int c = 0; c < m.contexts(); c++) {
            Set<Integer> s = new HashSet<>();
            for (int r = 0; r < 5; r++) {
                s.add(m.successor(c, r));
            }
            assertEquals(5, s.size());
        }
        assertEquals(Arrays.toString(m.generate(1000)),
                Arrays.toString(language(16, 2, 5, 1, 0.01, 3).generate(1000)));
        assertNotEquals(Arrays.toString(m.generate(1000)),
                Arrays.toString(language(16, 2, 5, 1, 0.01, 4).generate(1000)));
    }

    /** run-defaults.yaml's language, opened as a run opens it. */
    @Test
    void defaultLanguage() {
        // V = 32, 4 successors with Zipf(1) weights 12/25, 6/25, 4/25, 3/25, mixed with u = 0.01 uniform
        double rest = 0.01 / 32;
        double h = -28 * rest * Math.log(rest);
        for (double w : new double[] {12, 6, 4, 3}) {
            double q = 0.99 * w / 25 + rest;
            h -= q * Math.log(q);
        }
        try (TokenData d = TokenData.open(DataFixtures.markov(DataFixtures.DEFAULT_MARKOV))) {
            assertEquals(h, d.entropyRate().getAsDouble(), 1e-12);
            assertEquals(2_000_000, d.trainTokens() + d.valTokens());
            assertEquals(d.entropyRate().getAsDouble(), d.provenance().get("entropy_rate_nats"));
            assertTrue(d.describe().startsWith("markov language V=32 order 2"), d.describe());
            // unigram entropy of a stationary order-2 chain exceeds its entropy rate and is at most ln V
            assertTrue(d.unigramEntropy() > d.entropyRate().getAsDouble() && d.unigramEntropy() <= Math.log(32));
        }
    }
}
