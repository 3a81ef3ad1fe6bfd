package org.scalinglab.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.DataConfig;
import org.scalinglab.config.DataConfig.MarkovConfig;
import org.scalinglab.io.Hashing;

/**
 * The opened, split data of one run. {@link #open} loads, maps or generates the tokens, checks them
 * (header, vocabulary, UTF-8) in the same single pass that fingerprints them and counts the training
 * side's unigram frequencies, and splits them into train and validation.
 */
public final class TokenData implements AutoCloseable {
    /** The generated stream is one byte array. */
    static final long MAX_MARKOV_TOKENS = Integer.MAX_VALUE - 8;

    private final int vocabSize;
    private final List<BufferTokens> owned;
    private final WindowSampler train;
    private final WindowSampler val;
    private final String sha256;
    /** The markov source's entropies; null for real data. */
    private final MarkovLanguage.Entropies entropies;
    private final double unigramEntropy;
    private final Map<String, Object> provenance;
    private final String describe;

    private TokenData(int vocabSize, List<BufferTokens> owned, List<Segment> train, List<Segment> val,
            String sha256, long[] trainCounts, MarkovLanguage.Entropies entropies, Map<String, Object> provenance,
            String name) {
        this.vocabSize = vocabSize;
        this.owned = owned;
        this.train = new WindowSampler("the training split of " + name, train);
        this.val = new WindowSampler("the validation split of " + name, val);
        this.sha256 = sha256;
        this.entropies = entropies;
        this.unigramEntropy = entropy(trainCounts);
        provenance.put("vocab_size", vocabSize);
        provenance.put("tokens", trainTokens() + valTokens());
        provenance.put("train_tokens", trainTokens());
        provenance.put("val_tokens", valTokens());
        provenance.put("sha256", sha256);
        provenance.put("unigram_entropy_nats", unigramEntropy);
        this.provenance = Collections.unmodifiableMap(provenance);
        long total = trainTokens() + valTokens();
        this.describe = name + ": " + count(total, total) + " tokens (" + count(trainTokens(), total) + " train / "
                + count(valTokens(), total) + " val)";
    }

    /** Opens the data a config names; any problem is a one-line {@link ScalingLabException} (exit code DATA). */
    public static TokenData open(DataConfig config) {
        String env = System.getenv("SCALINGLAB_CACHE");
        Path cache = env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "scalinglab");
        return open(config, cache, BufferTokens.MAP_CHUNK_BITS);
    }

    /** As {@link #open(DataConfig)} with the text cache in {@code cacheDir} and mapping chunks of 2^chunkBits bytes. */
    static TokenData open(DataConfig config, Path cacheDir, int chunkBits) {
        switch (config.source()) {
            case EMBEDDED:
                return embedded(config, cacheDir, chunkBits);
            case MARKOV:
                return markov(config);
            case TEXT:
                return text(config, existing(config.path()), cacheDir, chunkBits);
            case NANOGPT:
                return nanoGpt(config, existing(config.path()), chunkBits);
            case LLMC:
                return llmc(config, existing(config.path()), chunkBits);
            default:
                throw new IllegalArgumentException("data source " + config.source());
        }
    }

    public int vocabSize() {
        return vocabSize;
    }

    public WindowSampler train() {
        return train;
    }

    public WindowSampler val() {
        return val;
    }

    public long trainTokens() {
        return train.tokens();
    }

    public long valTokens() {
        return val.tokens();
    }

    /** How many passes over the training split {@code tokensSeen} training tokens make. */
    public double epochs(long tokensSeen) {
        return (double) tokensSeen / trainTokens();
    }

    /** SHA-256 of the token bytes in stream order; for shard files, see docs/data.md. */
    public String sha256() {
        return sha256;
    }

    /** Entropy rate of the source in nats/token, exact; present for the markov source only. */
    public OptionalDouble entropyRate() {
        return entropies == null ? OptionalDouble.empty() : OptionalDouble.of(entropies.rate());
    }

    /**
     * The lowest mean loss reachable on windows of {@code context} + 1 tokens, exact; markov only. It is
     * the irreducible loss E a fit should find, above the rate because a window's first targets see
     * fewer tokens than the chain's order.
     */
    public OptionalDouble lossFloor(int context) {
        return entropies == null ? OptionalDouble.empty() : OptionalDouble.of(entropies.windowFloor(context));
    }

    /** Entropy in nats/token of the training split's token frequencies. */
    public double unigramEntropy() {
        return unigramEntropy;
    }

    /** How the tokens were made: JSON-serialisable maps, lists, strings, numbers and booleans. */
    public Map<String, Object> provenance() {
        return provenance;
    }

    /** One line for the console. */
    public String describe() {
        return describe;
    }

    /** Releases the token buffers; samplers fail afterwards. */
    @Override
    public void close() {
        owned.forEach(BufferTokens::close);
    }

    // ---- sources ---------------------------------------------------------------------------------

    private static TokenData embedded(DataConfig c, Path cacheDir, int chunkBits) {
        EmbeddedCorpus.Cached corpus = EmbeddedCorpus.cached(cacheDir);
        Map<String, Object> p = source("embedded");
        p.put("name", EmbeddedCorpus.NAME);
        p.put("jars", corpus.jars());
        p.put("files", corpus.files());
        p.put("bytes", fileFacts(corpus.file()).get("bytes"));
        p.put("cache", corpus.file().toString());
        p.put("cache_hit", corpus.hit());
        return single(c, map(corpus.file(), 0, 1, chunkBits), "embedded corpus (" + EmbeddedCorpus.NAME + ")", false,
                null, p);
    }

    private static TokenData markov(DataConfig c) {
        MarkovConfig m = c.markov();
        if (m.tokens() > MAX_MARKOV_TOKENS) {
            throw ScalingLabException.config("config key 'data.markov.tokens' must be at most " + MAX_MARKOV_TOKENS
                    + " (the generated stream is held in memory)", null);
        }
        MarkovLanguage language = new MarkovLanguage(m);
        Map<String, Object> p = source("markov");
        p.put("vocab", m.vocab());
        p.put("order", m.order());
        p.put("branching", m.branching());
        p.put("zipf_exponent", m.zipfExponent());
        p.put("popularity_exponent", m.popularityExponent());
        p.put("uniform_mix", m.uniformMix());
        p.put("generated_tokens", m.tokens());
        p.put("seed", m.seed());
        p.put("entropy_rate_nats", language.entropyRate());
        p.put("entropy_rate_bits", language.entropyRate() / Math.log(2));
        MarkovLanguage.Entropies entropies = language.entropies();
        p.put("start_entropies_nats", entropies.start());
        p.put("stationary_iterations", language.iterations());
        p.put("stationary_l1_change", language.residual());
        String name = String.format(Locale.ROOT, "markov language V=%d order %d branching %d zipf %s%s mix %s "
                + "(entropy rate %.4f nats/token)", m.vocab(), m.order(), m.branching(), m.zipfExponent(),
                m.popularityExponent() > 0 ? " popularity " + m.popularityExponent() : "", m.uniformMix(),
                language.entropyRate());
        return single(c, BufferTokens.ofBytes("markov", language.generate(m.tokens())), name, false,
                entropies, p);
    }

    private static TokenData text(DataConfig c, Path path, Path cacheDir, int chunkBits) {
        Map<String, Object> p = source("text");
        p.put("path", path.toString());
        if (!Files.isDirectory(path)) {
            p.putAll(fileFacts(path));
            return single(c, map(path, 0, 1, chunkBits), "text file " + path, true, null, p);
        }
        TextFolder folder = TextFolder.concatenate(path, cacheDir);
        p.put("files", folder.files);
        p.put("files_skipped", folder.skipped);
        p.put("bytes", folder.bytes);
        p.put("cache", folder.cache.toString());
        p.put("cache_hit", folder.cacheHit);
        String name = "text folder " + path + " (" + folder.files + " files" + (folder.skipped > 0
                ? ", " + folder.skipped + " skipped: not UTF-8 text" : "") + ")";
        return single(c, map(folder.cache, 0, 1, chunkBits), name, false, null, p);
    }

    private static TokenData nanoGpt(DataConfig c, Path folder, int chunkBits) {
        if (!Files.isDirectory(folder)) {
            throw ScalingLabException.data("data path " + folder + " is a file: nanogpt data is a folder with "
                    + "train.bin and val.bin", null);
        }
        Path trainFile = folder.resolve("train.bin");
        Path valFile = folder.resolve("val.bin");
        for (Path f : List.of(trainFile, valFile)) {
            if (Files.exists(f) && !Files.isRegularFile(f)) {
                throw ScalingLabException.data("nanoGPT shard " + f + " is not a regular file (a FIFO, socket, device "
                        + "or folder?)", "nanoGPT's prepare.py writes train.bin and val.bin as files");
            }
            if (!Files.isRegularFile(f)) {
                throw ScalingLabException.data("nanoGPT folder " + folder + " has no " + f.getFileName(),
                        "nanoGPT's prepare.py writes train.bin and val.bin");
            }
        }
        List<BufferTokens> owned = new ArrayList<>();
        try {
            owned.add(Shards.nanoGpt(trainFile, chunkBits));
            owned.add(Shards.nanoGpt(valFile, chunkBits));
            return shardFiles(c, "nanogpt", folder, owned, List.of(owned.get(0)), List.of(owned.get(1)),
                    "nanoGPT shards " + folder);
        } catch (RuntimeException e) {
            owned.forEach(BufferTokens::close);
            throw e;
        }
    }

    private static TokenData llmc(DataConfig c, Path path, int chunkBits) {
        if (!Files.isDirectory(path)) {
            Map<String, Object> p = source("llmc");
            p.put("path", path.toString());
            p.putAll(fileFacts(path));
            return single(c, Shards.llmc(path, chunkBits), "llm.c shard " + path, false, null, p);
        }
        List<Path> files = Shards.llmcFolder(path);
        List<BufferTokens> owned = new ArrayList<>();
        List<BufferTokens> train = new ArrayList<>();
        List<BufferTokens> val = new ArrayList<>();
        try {
            for (Path f : files) {
                BufferTokens t = Shards.llmc(f, chunkBits);
                owned.add(t);
                (f.getFileName().toString().contains("val") ? val : train).add(t);
            }
            if (train.isEmpty() || val.isEmpty()) {
                throw ScalingLabException.data("llm.c folder " + path + " has " + train.size() + " training and "
                        + val.size() + " validation .bin shards: it needs both",
                        "validation shards are the files whose name contains 'val'");
            }
            return shardFiles(c, "llmc", path, owned, train, val, "llm.c shards " + path + " (" + train.size()
                    + " train + " + val.size() + " val files)");
        } catch (RuntimeException e) {
            owned.forEach(BufferTokens::close);
            throw e;
        }
    }

    // ---- splitting and scanning ------------------------------------------------------------------

    /** One stream, split into blocks; its fingerprint is the SHA-256 of its bytes. */
    private static TokenData single(DataConfig c, BufferTokens tokens, String name, boolean utf8,
            MarkovLanguage.Entropies entropies, Map<String, Object> p) {
        try {
            BlockSplit split = BlockSplit.of(tokens.length(), c.splitBlockTokens(), c.valFraction());
            if (split.valBlocks == 0 || split.trainTokens() == 0) {
                throw ScalingLabException.data(name + " has " + tokens.length() + " tokens: too few to split "
                        + "into training and validation", "use more data (at least a few thousand tokens)");
            }
            MessageDigest md = Hashing.sha256();
            long[] counts = new long[c.vocabSize()];
            scan(tokens, name, md, utf8 ? new Utf8() : null, c.vocabSize(), split.trainRanges, counts);
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("kind", "blocks");
            s.put("val_fraction", c.valFraction());
            s.put("block_tokens", split.blockTokens);
            s.put("blocks", split.blocks);
            s.put("val_blocks", split.valBlocks);
            p.put("split", s);
            return new TokenData(c.vocabSize(), List.of(tokens), BlockSplit.segments(tokens, split.trainRanges),
                    BlockSplit.segments(tokens, split.valRanges), Hashing.hex(md.digest()), counts, entropies, p,
                    name);
        } catch (RuntimeException e) {
            tokens.close();
            throw e;
        }
    }

    /**
     * Whole files on each side. The fingerprint is the SHA-256 of the lines "sha256  name" of the files
     * in name order: what {@code sha256sum *.bin | sha256sum} prints in the folder.
     */
    private static TokenData shardFiles(DataConfig c, String kind, Path folder, List<BufferTokens> owned,
            List<BufferTokens> train, List<BufferTokens> val, String name) {
        long[] counts = new long[c.vocabSize()];
        StringBuilder manifest = new StringBuilder();
        List<Map<String, Object>> files = new ArrayList<>();
        List<Segment> trainSegments = new ArrayList<>();
        List<Segment> valSegments = new ArrayList<>();
        for (BufferTokens t : owned) {
            boolean isTrain = train.contains(t);
            Path file = Path.of(t.name());
            MessageDigest md = Hashing.sha256();
            scan(t, "shard " + file, md, null, c.vocabSize(), isTrain ? new long[] {0, t.length()} : new long[0],
                    counts);
            String sha = Hashing.hex(md.digest());
            manifest.append(sha).append("  ").append(file.getFileName()).append('\n');
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", file.getFileName().toString());
            f.put("split", isTrain ? "train" : "val");
            f.put("tokens", t.length());
            f.putAll(fileFacts(file));
            f.put("sha256", sha);
            files.add(f);
            (isTrain ? trainSegments : valSegments).add(new Segment(t, 0, t.length()));
        }
        Map<String, Object> p = source(kind);
        p.put("path", folder.toString());
        p.put("split", Map.of("kind", "files"));
        p.put("files", files);
        String sha = Hashing.sha256(manifest.toString());
        return new TokenData(c.vocabSize(), owned, trainSegments, valSegments, sha, counts, null,
                p, name);
    }

    private static void scan(BufferTokens t, String what, MessageDigest md, Utf8 utf8, int vocab,
            long[] trainRanges, long[] counts) {
        long bad = t.scan(md, utf8, vocab, trainRanges, counts);
        if (bad >= 0) {
            throw ScalingLabException.data(what + ": token " + t.token(bad) + " at position " + bad
                    + " is outside the vocabulary (data.vocab_size " + vocab + ")",
                    "set data.vocab_size to the tokenizer's vocabulary (GPT-2: 50257)");
        }
        if (utf8 != null && !utf8.finish()) {
            throw ScalingLabException.data(what + " is not UTF-8 text: invalid or NUL byte at offset "
                    + utf8.badOffset(), "text data must be UTF-8; pre-tokenized shards are source nanogpt or llmc");
        }
    }

    // ---- small helpers ---------------------------------------------------------------------------

    private static Path existing(String path) {
        Path p = Path.of(path).toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw ScalingLabException.data("data path " + p + " does not exist", "check data.path");
        }
        if (!Files.isRegularFile(p) && !Files.isDirectory(p)) {
            // a FIFO or a device would block the first read forever, or never end
            throw ScalingLabException.data("data path " + p + " is not a regular file or a folder (a FIFO, socket "
                    + "or device?)", "point data.path at a file or folder of data");
        }
        return p;
    }

    private static BufferTokens map(Path file, long header, int width, int chunkBits) {
        try {
            return BufferTokens.map(file, header, width, chunkBits);
        } catch (IOException e) {
            throw Shards.unreadable(file, e);
        }
    }

    private static Map<String, Object> source(String kind) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("source", kind);
        return p;
    }

    private static Map<String, Object> fileFacts(Path file) {
        try {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("bytes", Files.size(file));
            f.put("modified", Files.getLastModifiedTime(file).toInstant().toString());
            return f;
        } catch (IOException e) {
            throw Shards.unreadable(file, e);
        }
    }

    /** Entropy in nats of the distribution the counts give. */
    static double entropy(long[] counts) {
        long n = 0;
        for (long k : counts) {
            n += k;
        }
        double h = 0;
        for (long k : counts) {
            if (k > 0) {
                double q = (double) k / n;
                h -= q * Math.log(q);
            }
        }
        return h;
    }

    /** {@code n} in the unit the total calls for, so the numbers of one line compare: 8123456 of 8.5M is "8.1M". */
    static String count(long n, long total) {
        if (total < 10_000) {
            return Long.toString(n);
        }
        double scale = total < 1e6 ? 1e3 : total < 1e9 ? 1e6 : 1e9;
        String unit = total < 1e6 ? "K" : total < 1e9 ? "M" : "B";
        return String.format(Locale.ROOT, "%.1f%s", n / scale, unit);
    }
}
