package org.scalinglab.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.scalinglab.ScalingLabException;

/**
 * The default corpus: the Java sources of Apache Commons Math 3.6.1 (code and English javadoc), a
 * Maven Central artifact that the build copies onto the classpath after checking its pinned SHA-256.
 * The text is every {@code .java} entry in name order, each without its leading Apache license
 * comment, joined with a newline.
 */
final class EmbeddedCorpus {
    static final String NAME = "commons-math3-3.6.1 sources";
    static final String RESOURCE = "/org/scalinglab/data/corpus-commons-math3-3.6.1-sources.jar";

    final byte[] text;
    final int files;

    private EmbeddedCorpus(byte[] text, int files) {
        this.text = text;
        this.files = files;
    }

    static EmbeddedCorpus load() {
        return load(RESOURCE);
    }

    static EmbeddedCorpus load(String resource) {
        InputStream jar = EmbeddedCorpus.class.getResourceAsStream(resource);
        if (jar == null) {
            throw ScalingLabException.data("embedded corpus " + resource
                    + " missing from the classpath: rebuild with mvn package", null);
        }
        Map<String, byte[]> sources = new TreeMap<>();
        try (ZipInputStream zip = new ZipInputStream(jar)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (!e.isDirectory() && e.getName().endsWith(".java")) {
                    sources.put(e.getName(), stripLicense(zip.readAllBytes()));
                }
            }
        } catch (IOException e) {
            throw ScalingLabException.data("embedded corpus " + resource + " is unreadable: " + e.getMessage(),
                    "rebuild with mvn package");
        }
        if (sources.isEmpty()) {
            throw ScalingLabException.data("embedded corpus " + resource + " holds no .java files",
                    "rebuild with mvn package");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(8 << 20);
        for (byte[] source : sources.values()) {
            if (out.size() > 0) {
                out.write('\n');
            }
            out.writeBytes(source);
        }
        return new EmbeddedCorpus(out.toByteArray(), sources.size());
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
