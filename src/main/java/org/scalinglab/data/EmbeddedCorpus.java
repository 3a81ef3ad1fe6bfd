package org.scalinglab.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.scalinglab.ScalingLabException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.scalinglab.io.AtomicFiles;
import org.scalinglab.io.Hashing;
import org.scalinglab.io.Json;

/**
 * The default corpus: the Java sources (code and English javadoc) of twelve Apache-licensed Maven
 * Central artifacts, which the build copies onto the classpath after checking each jar's pinned
 * SHA-256 (pom.xml) and lists in {@code corpus/index.txt}. The text is every {@code .java} entry of
 * every jar, in entry-name order (then jar order), each without its leading license comment, joined
 * with a newline. Sorting by name interleaves the projects' packages, so that a split into blocks
 * puts every project on both sides.
 */
final class EmbeddedCorpus {
    static final String NAME = "Java sources of 12 Maven Central artifacts";
    static final String DIRECTORY = "/org/scalinglab/data/corpus/";
    private static final String FORMAT = "scalinglab embedded corpus 1";

    final byte[] text;
    final int files;
    /** Jar file name to its SHA-256, in index order. */
    final Map<String, String> jars;

    private EmbeddedCorpus(byte[] text, int files, Map<String, String> jars) {
        this.text = text;
        this.files = files;
        this.jars = jars;
    }

    static EmbeddedCorpus load() {
        return load(DIRECTORY);
    }

    /** The corpus as a file of the data cache, and what {@link #load} found in the jars. */
    record Cached(Path file, int files, Map<String, String> jars, boolean hit) {}

    /**
     * The corpus text written once to {@code cacheDir} (named by a hash of the jar index, whose jar names
     * carry their versions and whose contents the build pinned) and memory-mapped from there: unzipping
     * 19 MB of jars into 63 MB of text took a second or more, at the start of every run.
     */
    static Cached cached(Path cacheDir) {
        String index = new String(resource(DIRECTORY + "index.txt"), StandardCharsets.UTF_8);
        String name = "embedded-" + Hashing.sha256(FORMAT + "\n" + index).substring(0, 24);
        Path bin = cacheDir.resolve(name + ".bin");
        Path meta = cacheDir.resolve(name + ".json");
        try {
            if (Files.isRegularFile(bin) && Files.isRegularFile(meta)) {
                JsonNode m = Json.readTree(meta);
                if (m.path("bytes").asLong(-1) == Files.size(bin)) {
                    Map<String, String> jars = new LinkedHashMap<>();
                    m.path("jars").fields().forEachRemaining(e -> jars.put(e.getKey(), e.getValue().asText()));
                    return new Cached(bin, m.path("files").asInt(), jars, true);
                }
            }
        } catch (IOException | ScalingLabException e) {
            // a damaged cache entry is rebuilt below
        }
        EmbeddedCorpus c = load();
        try {
            Files.createDirectories(cacheDir);
        } catch (IOException e) {
            throw ScalingLabException.data("cannot create the data cache folder " + cacheDir + ": " + e,
                    "set SCALINGLAB_CACHE to a writable folder");
        }
        AtomicFiles.writeShared(bin, out -> out.write(c.text)); // a sweep's first workers may all build it at once
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("files", c.files);
        m.put("bytes", c.text.length);
        m.put("jars", c.jars);
        AtomicFiles.writeShared(meta, out -> out.write(Json.write(m).getBytes(StandardCharsets.UTF_8)));
        return new Cached(bin, c.files, c.jars, false);
    }

    static EmbeddedCorpus load(String directory) {
        Map<String, byte[]> sources = new TreeMap<>();
        Map<String, String> jars = new LinkedHashMap<>();
        for (String jar : index(directory)) {
            byte[] bytes = resource(directory + jar);
            jars.put(jar, Hashing.hex(Hashing.sha256().digest(bytes)));
            try (ZipInputStream zip = new ZipInputStream(new java.io.ByteArrayInputStream(bytes))) {
                for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                    if (!e.isDirectory() && e.getName().endsWith(".java")) {
                        sources.put(e.getName() + "\u0000" + jar, stripLicense(zip.readAllBytes()));
                    }
                }
            } catch (IOException e) {
                throw ScalingLabException.data("embedded corpus jar " + directory + jar + " is unreadable: "
                        + e.getMessage(), "rebuild with mvn package");
            }
        }
        if (sources.isEmpty()) {
            throw ScalingLabException.data("embedded corpus " + directory + " holds no .java files",
                    "rebuild with mvn package");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(48 << 20);
        for (byte[] source : sources.values()) {
            if (out.size() > 0) {
                out.write('\n');
            }
            out.writeBytes(source);
        }
        return new EmbeddedCorpus(out.toByteArray(), sources.size(), jars);
    }

    private static List<String> index(String directory) {
        String listing = new String(resource(directory + "index.txt"), StandardCharsets.UTF_8);
        List<String> jars = new ArrayList<>();
        listing.lines().map(String::strip).filter(l -> !l.isEmpty()).forEach(jars::add);
        return jars;
    }

    private static byte[] resource(String name) {
        try (InputStream in = EmbeddedCorpus.class.getResourceAsStream(name)) {
            if (in == null) {
                throw ScalingLabException.data("embedded corpus " + name + " missing from the classpath: rebuild with "
                        + "mvn package", null);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw ScalingLabException.data("embedded corpus " + name + " is unreadable: " + e.getMessage(),
                    "rebuild with mvn package");
        }
    }

    /** Drops a leading comment block that holds a license, and the blank space after it. */
    static byte[] stripLicense(byte[] source) {
        String s = new String(source, StandardCharsets.ISO_8859_1); // byte-for-byte, any encoding
        int begin = 0;
        while (begin < s.length() && Character.isWhitespace(s.charAt(begin))) {
            begin++;
        }
        if (!s.startsWith("/*", begin)) {
            return source;
        }
        int end = s.indexOf("*/", begin + 2);
        if (end < 0 || !s.substring(begin, end).contains("Licensed")) {
            return source;
        }
        end += 2;
        while (end < s.length() && Character.isWhitespace(s.charAt(end))) {
            end++;
        }
        return s.substring(end).getBytes(StandardCharsets.ISO_8859_1);
    }
}
