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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
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
