package org.scalinglab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.scalinglab.io.Json;

/**
 * Opens a generated report in a real browser (headless Chromium, which {@code scripts/test-setup.sh}
 * installs), checks through the DevTools protocol that every figure decoded and laid out with a non-zero
 * size and that the page requested nothing but itself and its inline images, and keeps a full-page
 * screenshot in {@code target/report-browser/} for a person to look at. Skipped, with the reason, where no
 * Chromium is installed.
 */
class ReportBrowserTest {
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final Path OUT = Path.of("target", "report-browser");

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void everyFigureRendersWithANonZeroSizeInChromium() throws Exception {
        Path chromium = chromium().orElse(null);
        Assumptions.assumeTrue(chromium != null, "no Chromium found (looked for $SCALINGLAB_CHROMIUM, chromium, "
                + "chromium-browser, google-chrome on the PATH): run scripts/test-setup.sh as root to install it");

        deleteTree(OUT);
        Path sweep = ReportFixtures.sweep(OUT.resolve("sweep"));
        ReportFixtures.writeFits(sweep, 40);
        ReportFixtures.writeValidation(sweep, 40);
        ReportFixtures.writePhenomena(sweep, 40);
        Path index = new SweepReport(sweep).write(new PrintWriter(new StringWriter())).index().toAbsolutePath();

        Path profile = Files.createTempDirectory("scalinglab-chromium-");
        Process browser = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
                "--window-size=1280,900", "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(OUT.resolve("chromium.log").toFile()).start();
        long t0 = System.nanoTime();
        try (DevTools cdp = DevTools.connect(pageSocket(profile, browser), STEP)) {
            cdp.call("Network.enable", null, STEP);
            cdp.call("Page.enable", null, STEP);
            ObjectNode nav = DevTools.params();
            nav.put("url", index.toUri().toString());
            cdp.call("Page.navigate", nav, STEP);
            waitFor(cdp, "document.readyState === 'complete' && [...document.images].every(i => i.complete)");

            JsonNode page = evaluate(cdp, """
                    JSON.stringify({
                      images: [...document.images].map(i => { const r = i.getBoundingClientRect();
                        return {figure: i.closest('figure').id, natural: [i.naturalWidth, i.naturalHeight],
                                shown: [r.width, r.height]}; }),
                      svgs: [...document.querySelectorAll('svg')].map(s => { const r = s.getBoundingClientRect();
                        return {shown: [r.width, r.height]}; }),
                      figures: document.querySelectorAll('figure').length,
                      tables: document.querySelectorAll('table').length,
                      width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight})
                    """);
            JsonNode images = page.path("images");
            assertEquals(17, images.size(), page.toString());
            for (JsonNode img : images) {
                String fig = img.path("figure").asText();
                assertEquals(Charts.WIDTH * Charts.PNG_SCALE, img.path("natural").get(0).asInt(), fig + " decoded");
                assertEquals(Charts.HEIGHT * Charts.PNG_SCALE, img.path("natural").get(1).asInt(), fig + " decoded");
                assertTrue(img.path("shown").get(0).asDouble() > 0 && img.path("shown").get(1).asDouble() > 0,
                        fig + " laid out with a size: " + img);
            }
            for (JsonNode svg : page.path("svgs")) {
                assertTrue(svg.path("shown").get(0).asDouble() > 0 && svg.path("shown").get(1).asDouble() > 0,
                        "inline svg with a size: " + svg);
            }
            assertEquals(17, page.path("figures").asInt(), "every figure, drawn or a note in its place (no study stages here)");
            assertTrue(page.path("width").asInt() <= 1280, "the page fits the 1280 px window: " + page.path("width"));
            assertEquals(11, page.path("tables").asInt(), "main's nine, the law ranking and the phenomena table");

            // the page fetched nothing but itself (its images are data: URIs)
            List<String> urls = new ArrayList<>();
            cdp.events("Network.requestWillBeSent").forEach(e -> urls.add(e.path("params").path("request")
                    .path("url").asText()));
            assertTrue(urls.contains(index.toUri().toString()), urls.toString());
            for (String u : urls) {
                assertTrue(u.equals(index.toUri().toString()) || u.startsWith("data:"), "request out of the page: " + u);
            }

            ObjectNode shot = DevTools.params();
            shot.put("format", "png");
            shot.put("captureBeyondViewport", true);
            ObjectNode clip = shot.putObject("clip");
            clip.put("x", 0);
            clip.put("y", 0);
            clip.put("width", page.path("width").asInt());
            clip.put("height", page.path("height").asInt());
            clip.put("scale", 1);
            byte[] png = Base64.getDecoder().decode(cdp.call("Page.captureScreenshot", shot, STEP).path("data")
                    .asText());
            Path screenshot = OUT.resolve("screenshot.png");
            Files.write(screenshot, png);
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            assertTrue(img.getHeight() > 10 * Charts.HEIGHT, "the whole page: " + img.getWidth() + "x" + img.getHeight());

            // SVG figures as Chromium draws them: text as text in the PNG's font and size, and the PNG's look
            for (String stem : List.of("1a-loss-vs-tokens", "3a-n-opt", "11b-metrics-vs-loss")) {
                svgLooksLikeItsPng(cdp, index.getParent().resolve("figures"), stem);
            }
            System.out.printf("browser test: chromium opened and checked the report in %.1f s; screenshot %s%n",
                    (System.nanoTime() - t0) / 1e9, screenshot.toAbsolutePath());
        } finally {
            stop(browser);
            try {
                deleteTree(profile);
            } catch (IOException e) {
                // a helper process may still be writing its cache; a leftover temp folder is harmless
            }
        }
    }

    /**
     * Opens figures/{stem}.svg at the PNG's size and scale, checks that its text elements are laid out as
     * wide as Java lays out the same string in the same font (so the browser found the PNG's font, at the
     * size the PNG uses), screenshots it to {@code target/report-browser/{stem}.svg.png} beside a copy of the
     * PNG, and compares the two: at most 2 % of the pixels may differ by more than 96 of 255 in a channel
     * (anti-aliasing of text and edges differs; 0.3-1.3 % on the main job's figures).
     */
    private static void svgLooksLikeItsPng(DevTools cdp, Path figures, String stem) throws Exception {
        ObjectNode metrics = DevTools.params();
        metrics.put("width", Charts.WIDTH);
        metrics.put("height", Charts.HEIGHT);
        metrics.put("deviceScaleFactor", Charts.PNG_SCALE);
        metrics.put("mobile", false);
        cdp.call("Emulation.setDeviceMetricsOverride", metrics, STEP);
        ObjectNode nav = DevTools.params();
        nav.put("url", figures.resolve(stem + ".svg").toAbsolutePath().toUri().toString());
        cdp.call("Page.navigate", nav, STEP);
        waitFor(cdp, "document.readyState === 'complete' && document.querySelectorAll('text').length > 0");
        JsonNode texts = evaluate(cdp, """
                JSON.stringify([...document.querySelectorAll('text')].map(t => { const c = getComputedStyle(t);
                  return {s: t.textContent, px: parseFloat(c.fontSize), bold: parseInt(c.fontWeight) >= 600,
                          family: c.fontFamily, w: t.getComputedTextLength()}; }))
                """);
        assertTrue(texts.size() >= 10, stem + ": " + texts);
        // the PNG's sizes: one bold 16 px title, 14 px axis titles, 12 px labels, 9 px exponents
        Map<Double, Integer> sizes = new TreeMap<>();
        texts.forEach(t -> sizes.merge(t.path("px").asDouble(), 1, Integer::sum));
        assertEquals(1, sizes.getOrDefault(16.0, 0), stem + ": one title: " + sizes);
        assertTrue(sizes.getOrDefault(14.0, 0) >= 2 && sizes.getOrDefault(14.0, 0) <= 3, stem + ": axis titles: "
                + sizes);
        assertTrue(Set.of(9.0, 12.0, 14.0, 16.0).containsAll(sizes.keySet()), stem + ": " + sizes);
        java.awt.font.FontRenderContext frc = new java.awt.font.FontRenderContext(null, true, true);
        for (JsonNode t : texts) {
            String str = t.path("s").asText();
            java.awt.Font font = new java.awt.Font(java.awt.Font.SANS_SERIF, t.path("bold").asBoolean()
                    ? java.awt.Font.BOLD : java.awt.Font.PLAIN, 1).deriveFont((float) t.path("px").asDouble());
            double java = new java.awt.font.TextLayout(str, font, frc).getAdvance();
            double shown = t.path("w").asDouble();
            assertTrue(Math.abs(shown - java) <= 0.04 * java + 1, stem + ": '" + str + "' is " + shown
                    + " px wide in Chromium, " + java + " in Java (" + t + ")");
        }
        ObjectNode shot = DevTools.params();
        shot.put("format", "png");
        ObjectNode clip = shot.putObject("clip");
        clip.put("x", 0);
        clip.put("y", 0);
        clip.put("width", Charts.WIDTH);
        clip.put("height", Charts.HEIGHT);
        clip.put("scale", 1);
        byte[] png = Base64.getDecoder().decode(cdp.call("Page.captureScreenshot", shot, STEP).path("data").asText());
        Files.write(OUT.resolve(stem + ".svg.png"), png);
        Files.copy(figures.resolve(stem + ".png"), OUT.resolve(stem + ".png"), StandardCopyOption.REPLACE_EXISTING);
        BufferedImage svg = ImageIO.read(new ByteArrayInputStream(png));
        BufferedImage ref = ImageIO.read(figures.resolve(stem + ".png").toFile());
        assertEquals(ref.getWidth(), svg.getWidth(), stem);
        assertEquals(ref.getHeight(), svg.getHeight(), stem);
        long differ = 0;
        for (int y = 0; y < ref.getHeight(); y++) {
            for (int x = 0; x < ref.getWidth(); x++) {
                int a = ref.getRGB(x, y);
                int b = svg.getRGB(x, y);
                int d = 0;
                for (int shift = 0; shift < 24; shift += 8) {
                    d = Math.max(d, Math.abs(((a >> shift) & 0xFF) - ((b >> shift) & 0xFF)));
                }
                differ += d > 96 ? 1 : 0;
            }
        }
        double share = (double) differ / ((long) ref.getWidth() * ref.getHeight());
        assertTrue(share < 0.02, stem + ".svg in Chromium differs from its PNG in " + 100 * share + " % of pixels");
        System.out.printf("browser test: %s.svg: %d text elements as wide as in Java; %.2f %% of pixels differ from "
                + "the PNG%n", stem, texts.size(), 100 * share);
    }

    /** Chromium writes its DevTools port into the profile folder; the page target is listed over HTTP. */
    private static URI pageSocket(Path profile, Process browser) throws Exception {
        Path portFile = profile.resolve("DevToolsActivePort");
        long deadline = System.nanoTime() + STEP.toNanos();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() < deadline) {
            if (!browser.isAlive()) {
                throw new AssertionError("chromium exited with " + browser.exitValue() + "; see "
                        + OUT.resolve("chromium.log"));
            }
            if (Files.isRegularFile(portFile)) {
                List<String> lines = Files.readAllLines(portFile);
                if (!lines.isEmpty() && !lines.get(0).isBlank()) {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + lines.get(0).trim() + "/json/list")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    for (JsonNode t : Json.mapper().readTree(r.body())) {
                        if (t.path("type").asText().equals("page") && t.has("webSocketDebuggerUrl")) {
                            return URI.create(t.get("webSocketDebuggerUrl").asText());
                        }
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("chromium did not open a debuggable page within " + STEP.toSeconds() + " s");
    }

    private static JsonNode evaluate(DevTools cdp, String expression) throws Exception {
        ObjectNode p = DevTools.params();
        p.put("expression", expression);
        p.put("returnByValue", true);
        JsonNode r = cdp.call("Runtime.evaluate", p, STEP);
        if (r.has("exceptionDetails")) {
            throw new AssertionError("script failed: " + r.get("exceptionDetails"));
        }
        JsonNode v = r.path("result").path("value");
        return v.isTextual() ? Json.mapper().readTree(v.asText()) : v;
    }

    private static void waitFor(DevTools cdp, String condition) throws Exception {
        long deadline = System.nanoTime() + STEP.toNanos();
        while (System.nanoTime() < deadline) {
            if (evaluate(cdp, condition).asBoolean(false)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the page did not finish loading within " + STEP.toSeconds() + " s");
    }

    /** Ends the browser we started and its helper processes, politely, then by force. */
    private static void stop(Process browser) throws InterruptedException {
        List<ProcessHandle> children = browser.descendants().toList();
        browser.destroy();
        if (!browser.waitFor(10, TimeUnit.SECONDS)) {
            browser.destroyForcibly();
            browser.waitFor(10, TimeUnit.SECONDS);
        }
        for (ProcessHandle c : children) {
            if (c.isAlive()) {
                c.destroyForcibly();
            }
        }
    }

    static Optional<Path> chromium() {
        String env = System.getenv("SCALINGLAB_CHROMIUM");
        if (env != null && !env.isBlank() && Files.isExecutable(Path.of(env))) {
            return Optional.of(Path.of(env));
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
