package org.scalinglab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    private static String text;

    @BeforeAll
    static void open() {
        data = TokenData.open(config(DataSource.EMBEDDED, null, 256));
        text = new String(EmbeddedCorpus.load().text, StandardCharsets.UTF_8);
    }

    @AfterAll
    static void close() {
        data.close();
    }

    @Test
    void isMegabytesOfRealTextWithoutLicenseBoilerplate() {
        long tokens = data.trainTokens() + data.valTokens();
        assertTrue(tokens >= 5_000_000, tokens + " tokens");
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, tokens);
        assertFalse(text.contains("Licensed to the Apache Software Foundation"));
        assertFalse(text.contains("http://www.apache.org/licenses/LICENSE-2.0"));
        assertTrue(text.startsWith("package org.apache.commons.math3"), text.substring(0, 40));
        assertTrue(text.contains("public class FastMath"));
        assertEquals(256, data.vocabSize());
        assertTrue(data.unigramEntropy() > 2.5 && data.unigramEntropy() < 4, "" + data.unigramEntropy());
    }

    /**
     * Golden, computed independently in Python from the pinned jar: the {@code .java} entries sorted by
     * name, each with a leading comment containing "Licensed" and the whitespace after it removed, joined
     * with "\n" (990 files, 7,847,345 bytes). It changes only if the artifact or that rule does.
     */
    @Test
    void fingerprintIsStable() {
        assertEquals("33d2eceb2b3a9ebfb84ae9e95bcdc0938282d2b8214ebc88a2b7c194cb2e72c6", data.sha256());
        assertEquals(7_847_345, data.provenance().get("bytes"));
        assertEquals(990, data.provenance().get("files"));
    }

    @Test
    void describesItselfInOneLine() {
        assertTrue(data.describe().matches("embedded corpus commons-math3-3\\.6\\.1 sources: "
                + "\\d\\.\\dM tokens \\(\\d\\.\\dM train / 0\\.\\dM val\\)"), data.describe());
        assertEquals("embedded", data.provenance().get("source"));
        assertTrue(data.entropyRate().isEmpty());
    }

    @Test
    void missingResourceIsADataError() {
        assertDataError(() -> EmbeddedCorpus.load("/org/scalinglab/data/nope.jar"),
                "embedded corpus /org/scalinglab/data/nope.jar missing from the classpath: rebuild with mvn package");
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
