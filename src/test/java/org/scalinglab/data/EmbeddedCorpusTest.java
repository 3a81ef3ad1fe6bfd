package org.scalinglab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.scalinglab.data.DataFixtures.assertDataError;
import static org.scalinglab.data.DataFixtures.config;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scalinglab.config.DataConfig.DataSource;

class EmbeddedCorpusTest {
    private static TokenData data;
    private static byte[] bytes;
    private static String text;

    @BeforeAll
    static void open() {
        data = TokenData.open(config(DataSource.EMBEDDED, null, 256));
        bytes = EmbeddedCorpus.load().text;
        text = new String(bytes, StandardCharsets.ISO_8859_1); // byte for byte: a few files are Latin-1
    }

    @AfterAll
    static void close() {
        data.close();
    }

    @Test
    void isMegabytesOfRealTextWithoutLicenseBoilerplate() {
        long tokens = data.trainTokens() + data.valTokens();
        assertTrue(tokens >= 60_000_000, tokens + " tokens");
        assertEquals(bytes.length, tokens);
        // a leading license comment is stripped; the few left sit after generated-code banners (31 of 7,532 files)
        int licenses = text.split("http://www.apache.org/licenses/LICENSE-2.0", -1).length - 1;
        assertTrue(licenses < 7532 / 100, licenses + " license texts left");
        assertTrue(text.startsWith("package com.fasterxml.jackson.databind"), text.substring(0, 40));
        for (String project : java.util.List.of("public class FastMath", "package com.google.common.collect",
                "package org.apache.lucene", "package org.joda.time", "package org.apache.commons.lang3", "package org.apache.kafka", "package org.apache.poi")) {
            assertTrue(text.contains(project), project);
        }
        assertEquals(256, data.vocabSize());
        assertTrue(data.unigramEntropy() > 2.5 && data.unigramEntropy() < 4, "" + data.unigramEntropy());
    }

    /**
     * Golden, computed independently in Python from the twelve pinned jars: every {@code .java} entry, sorted
     * by entry name (then jar name), each with a leading comment containing "Licensed" and the whitespace
     * after it removed, joined with "\n" (7,532 files, 60,912,467 bytes). It changes only if an artifact
     * or that rule does.
     */
    @Test
    void fingerprintIsStable() {
        assertEquals("6735341ea437c0e8a79ef71a3bfa07721535a370d2d9318ffb66bdcaa2189db4", data.sha256());
        assertEquals(60_912_467L, ((Number) data.provenance().get("bytes")).longValue());
        assertEquals(7532, data.provenance().get("files"));
        assertEquals(12, ((java.util.Map<?, ?>) data.provenance().get("jars")).size());
    }

    @Test
    void describesItselfInOneLine() {
        assertTrue(data.describe().matches("embedded corpus \\(Java sources of 12 Maven Central artifacts\\): "
                + "60\\.9M tokens \\(\\d\\d\\.\\dM train / \\d\\.\\dM val\\)"), data.describe());
        assertEquals("embedded", data.provenance().get("source"));
        assertTrue(data.entropyRate().isEmpty());
    }

    @Test
    void missingResourceIsADataError() {
        assertDataError(() -> EmbeddedCorpus.load("/org/scalinglab/data/nope/"),
                "embedded corpus /org/scalinglab/data/nope/index.txt missing from the classpath: rebuild with mvn package");
    }

    @Test
    void stripsOnlyALeadingLicenseComment() {
        byte[] licensed = "/*\n * Licensed to X\n */\n\npackage a;\n/* Licensed later */\n".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals("package a;\n/* Licensed later */\n".getBytes(StandardCharsets.UTF_8),
                EmbeddedCorpus.stripLicense(licensed));
        byte[] plain = "/** Docs. */\nclass A {}\n".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(plain, EmbeddedCorpus.stripLicense(plain));
    }
}
