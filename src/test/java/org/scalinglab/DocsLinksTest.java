package org.scalinglab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every relative link in README.md and docs/*.md points at a file of the repository, and every
 * {@code #anchor} at a heading of its page, so that moving a section cannot leave a dead link behind.
 * External (http, https, mailto) links are not followed: the tests run offline.
 */
class DocsLinksTest {
    private static final Path ROOT = Path.of("").toAbsolutePath().normalize();
    /** [text](target) or ![alt](target), the target up to a space (a title may follow) or ')'. */
    private static final Pattern LINK = Pattern.compile("!?\\[(?:[^\\]\\\\]|\\\\.)*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");

    @Test
    void everyRelativeLinkResolves() throws IOException {
        List<Path> pages = pages();
        assertTrue(pages.size() > 1, "README.md and docs/*.md are found from " + ROOT);
        Map<Path, Set<String>> anchors = new HashMap<>();
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : pages) {
            for (String target : links(Files.readString(page))) {
                if (target.matches("(?i)^(https?|mailto):.*")) {
                    continue;
                }
                checked++;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                String where = ROOT.relativize(page) + ": (" + target + ")";
                if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
                    broken.add(where + " names no file of the repository");
                } else if (anchor != null) {
                    if (!resolved.toString().endsWith(".md")) {
                        broken.add(where + " puts an anchor on a file that is not Markdown");
                    } else if (!anchors.computeIfAbsent(resolved, DocsLinksTest::anchorsOf).contains(anchor)) {
                        broken.add(where + " names no heading of " + ROOT.relativize(resolved));
                    }
                }
            }
        }
        assertTrue(checked > 0, "the pages have relative links to check");
        assertEquals(List.of(), broken);
    }

    @Test
    void anchorsAreGitHubs() {
        assertEquals("scalinglab-plan-sweepyaml", anchor("`scalinglab plan <sweep.yaml>`"));
        assertEquals("approach-2s-default-profile", anchor("Approach 2's default profile"));
        assertEquals("what-it-writes---out-default-resultsreport", anchor("What it writes (`--out`, default `<results>/report`)"));
        assertEquals("see-gpus", anchor("See [GPUs](gpus.md)"));
        assertEquals(Set.of("a", "a-1", "b"), anchorsOf(List.of("# A", "text", "## A", "```", "# not a heading", "```", "### B")));
    }

    @Test
    void linksSkipCode() {
        assertEquals(List.of("a.md", "b.md#x"), links("[a](a.md) `[c](c.md)`\n```\n[d](d.md)\n```\n![b](b.md#x \"title\")"));
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** Link targets outside fenced code blocks and inline code spans. */
    static List<String> links(String markdown) {
        List<String> targets = new ArrayList<>();
        boolean fenced = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.trim().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher m = LINK.matcher(line.replaceAll("`[^`]*`", ""));
            while (m.find()) {
                targets.add(m.group(1));
            }
        }
        return targets;
    }

    private static Set<String> anchorsOf(Path page) {
        try {
            return anchorsOf(Files.readAllLines(page));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The anchors GitHub gives a page's headings; a repeated one gets -1, -2, ... as GitHub numbers them. */
    static Set<String> anchorsOf(List<String> lines) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : lines) {
            if (line.trim().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (!fenced && m.matches()) {
                String a = anchor(m.group(2));
                int n = seen.merge(a, 1, Integer::sum);
                anchors.add(n == 1 ? a : a + "-" + (n - 1));
            }
        }
        return anchors;
    }

    /** GitHub's slug: link text for links, lower case, punctuation dropped (not '-' or '_'), spaces to '-'. */
    static String anchor(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }
}
