package org.scalinglab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.approach.IsoFlopResult;
import org.scalinglab.fit.law.FitReport;
import org.scalinglab.io.Json;
import org.scalinglab.text.Numbers;

/**
 * The report as one self-contained HTML file: figures inline as PNG {@code data:} URIs, styles in the page,
 * no script and no reference to anything outside the file, so it opens the same from a laptop, a cluster's
 * file browser or an e-mail attachment.
 */
final class HtmlPage {
    /** A drawn or omitted figure with its rendered PNG (null when omitted). */
    record Rendered(Figure figure, byte[] png) {}

    private static final String CSS = """
            :root { color-scheme: light; }
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", "Liberation Sans", sans-serif;
                   color: #222; background: #fff; margin: 0 auto; max-width: 1280px; padding: 24px 32px 64px;
                   line-height: 1.45; font-size: 15px; }
            h1 { font-size: 26px; margin: 0 0 4px; }
            h2 { font-size: 20px; margin: 40px 0 12px; padding-bottom: 4px; border-bottom: 1px solid #ddd; }
            h3 { font-size: 16px; margin: 28px 0 6px; }
            .meta { color: #666; font-size: 13px; margin: 0 0 16px; word-break: break-all; }
            nav { font-size: 14px; margin: 12px 0 0; }
            nav a { color: #1f5f9f; text-decoration: none; margin-right: 14px; white-space: nowrap; }
            ul.summary { padding-left: 20px; margin: 8px 0; }
            .notes { background: #fff8e5; border-left: 4px solid #e0a800; padding: 8px 14px; margin: 16px 0; }
            .notes ul { margin: 4px 0; padding-left: 18px; }
            figure { margin: 28px 0; }
            figure img { display: block; width: 900px; max-width: 100%; height: auto; border: 1px solid #eee; }
            figcaption { max-width: 900px; font-size: 14px; color: #333; margin-top: 6px; }
            figcaption .files { color: #777; font-size: 12px; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
            figure.omitted .note { max-width: 860px; background: #f6f6f6; border: 1px dashed #bbb; padding: 14px 18px;
                   color: #555; }
            table { border-collapse: collapse; font-size: 13px; margin: 6px 0 4px; }
            th, td { border-bottom: 1px solid #e4e4e4; padding: 3px 10px; text-align: left; vertical-align: top; }
            th { background: #f3f5f8; font-weight: 600; white-space: nowrap; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            td.nowrap { white-space: nowrap; }
            tr:hover td { background: #fafbfd; }
            .tablenote { color: #555; font-size: 13px; max-width: 1000px; margin: 2px 0 4px; }
            .scroll { overflow-x: auto; }
            pre { background: #f7f7f7; border: 1px solid #e4e4e4; padding: 10px; font-size: 12px; overflow-x: auto;
                  max-height: 480px; }
            .refs li { font-size: 13px; color: #444; }
            """;

    private HtmlPage() {}

    static String render(ReportData data, List<Rendered> figures, List<Table> tables, List<String> notes,
            String generatedAt, String tool) {
        StringBuilder h = new StringBuilder(1 << 20);
        String name = data.resultsDir().toAbsolutePath().normalize().getFileName() == null ? "results"
                : data.resultsDir().toAbsolutePath().normalize().getFileName().toString();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Scaling report: ").append(esc(name)).append("</title>\n<style>\n").append(CSS)
                .append("</style>\n</head>\n<body>\n");
        h.append("<h1>Scaling report: ").append(esc(name)).append("</h1>\n");
        // the folder as it was given when relative, else its name: no machine's absolute paths in the page
        Path given = data.resultsDir().normalize();
        h.append("<p class=\"meta\">").append(esc(given.isAbsolute() ? name : given.toString()))
                .append(" &middot; generated ").append(esc(generatedAt)).append(" by ").append(esc(tool)).append("</p>\n");
        // a line break between links lets the bar wrap on narrow windows
        h.append("<nav>\n<a href=\"#summary\">Summary</a>\n<a href=\"#figures\">Figures</a>\n");
        for (Table t : tables) {
            h.append("<a href=\"#").append(esc(t.id)).append("\">").append(esc(t.title)).append("</a>\n");
        }
        h.append("<a href=\"#fits-json\">fits.json</a>\n<a href=\"#references\">References</a>\n</nav>\n");

        h.append("<h2 id=\"summary\">Summary</h2>\n<ul class=\"summary\">\n");
        for (String s : summary(data)) {
            h.append("<li>").append(esc(s)).append("</li>\n");
        }
        h.append("</ul>\n");
        List<String> missing = figures.stream().filter(r -> !r.figure().isDrawn()).map(r -> r.figure().number())
                .toList();
        if (!notes.isEmpty() || !missing.isEmpty()) {
            h.append("<div class=\"notes\"><strong>Notes</strong><ul>\n");
            for (String n : notes) {
                h.append("<li>").append(esc(n)).append("</li>\n");
            }
            if (!missing.isEmpty()) {
                h.append("<li>").append(missing.size()).append(" of ").append(figures.size())
                        .append(" figures could not be drawn from these data (");
                for (int i = 0; i < missing.size(); i++) {
                    h.append(i == 0 ? "" : ", ").append("<a href=\"#fig-").append(esc(missing.get(i))).append("\">")
                            .append(esc(missing.get(i))).append("</a>");
                }
                h.append("); each says why in its place.</li>\n");
            }
            h.append("</ul></div>\n");
        }

        h.append("<h2 id=\"figures\">Figures</h2>\n");
        for (Rendered r : figures) {
            Figure f = r.figure();
            h.append("<figure id=\"fig-").append(esc(f.number())).append("\"");
            if (!f.isDrawn()) {
                h.append(" class=\"omitted\"><div class=\"note\"><strong>Figure ").append(esc(f.number()))
                        .append(". ").append(esc(f.title())).append("</strong> was not drawn: ")
                        .append(esc(f.omitted())).append("</div></figure>\n");
                continue;
            }
            h.append(">\n<img alt=\"Figure ").append(esc(f.number())).append(": ").append(esc(f.title()))
                    .append("\" width=\"").append(Charts.WIDTH).append("\" height=\"").append(Charts.HEIGHT)
                    .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(r.png()))
                    .append("\">\n<figcaption><strong>Figure ").append(esc(f.number())).append(". ")
                    .append(esc(f.title())).append(".</strong> ").append(esc(f.caption()))
                    .append(" <span class=\"files\">figures/").append(esc(f.fileStem())).append(".png, .svg</span>")
                    .append("</figcaption>\n</figure>\n");
        }

        h.append("<h2 id=\"tables\">Tables</h2>\n");
        for (Table t : tables) {
            table(h, t);
        }

        h.append("<h2 id=\"fits-json\">fits.json</h2>\n");
        if (data.fit() == null) {
            h.append("<p>").append(esc(data.fitSource())).append("</p>\n");
        } else {
            h.append("<details><summary>The fit as recorded (").append(esc(data.fitSource()))
                    .append("), bootstrap samples left out</summary>\n<pre>")
                    .append(esc(withoutSamples(data.fit()))).append("</pre></details>\n");
        }

        h.append("<h2 id=\"references\">References</h2>\n<ol class=\"refs\">\n")
                .append("<li>J. Kaplan et al., Scaling Laws for Neural Language Models, arXiv:2001.08361 (2020).</li>\n")
                .append("<li>J. Hoffmann et al., Training Compute-Optimal Large Language Models, arXiv:2203.15556 "
                        + "(2022).</li>\n")
                .append("<li>T. Besiroglu et al., Chinchilla Scaling: A replication attempt, arXiv:2404.10102 "
                        + "(2024).</li>\n")
                .append("<li>T. Porian et al., Resolving Discrepancies in Compute-Optimal Scaling of Language Models, "
                        + "arXiv:2406.19146 (2024).</li>\n")
                .append("<li>T. Pearce and J. Song, Reconciling Kaplan and Chinchilla Scaling Laws, arXiv:2406.12907 "
                        + "(2024).</li>\n")
                .append("<li>J. Wei et al., Emergent Abilities of Large Language Models, arXiv:2206.07682 (2022).</li>\n")
                .append("<li>R. Schaeffer, B. Miranda and S. Koyejo, Are Emergent Abilities of Large Language Models a "
                        + "Mirage?, arXiv:2304.15004 (2023).</li>\n")
                .append("<li>A. Bhagia et al., Establishing Task Scaling Laws via Compute-Efficient Model Ladders, "
                        + "arXiv:2412.04403 (2024).</li>\n")
                .append("<li>E. Caballero et al., Broken Neural Scaling Laws, arXiv:2210.14891 (2022).</li>\n")
                .append("<li>S. McCandlish et al., An Empirical Model of Large-Batch Training, arXiv:1812.06162 "
                        + "(2018).</li>\n")
                .append("</ol>\n</body>\n</html>\n");
        return h.toString();
    }

    /** The headline numbers, one sentence each. */
    private static List<String> summary(ReportData data) {
        List<String> out = new java.util.ArrayList<>();
        FitReport fit = data.fit();
        if (fit != null) {
            // the page opens with the law to trust, or with the statement that there is none
            // the same lines as run's summary: the law, its held-out error, its 10x prediction, the support
            for (String line : StudyVerdict.of(data.resultsDir(), fit, data.validation()).lines()) {
                out.add(Character.toUpperCase(line.charAt(0)) + line.substring(1) + ".");
            }
        }
        long completed = data.completed().size();
        double[] cr = data.computeRange();
        out.add(String.format(Locale.ROOT, "%d run folder%s, %d completed; compute from %s to %s FLOPs (%s convention).",
                data.runs().size(), data.runs().size() == 1 ? "" : "s", completed, Numbers.sig4(cr[0]),
                Numbers.sig4(cr[1]), data.flopKey()));
        out.add("Fit: " + data.fitSource() + ".");
        if (fit != null) {
            List<Frontier> fronts = new java.util.ArrayList<>(Frontier.of(fit));
            // the recommended law's line first, as everywhere
            fronts.sort(java.util.Comparator.comparing(f -> !f.key().equals(fit.recommended())));
            for (Frontier f : fronts) {
                String iv = f.aInterval() == null ? "" : " (" + data.levelText() + " interval "
                        + Numbers.interval(f.aInterval()) + ")";
                out.add(f.label() + (f.key().equals(fit.recommended()) ? " (recommended)" : "") + ": N_opt ~ C^a with a = " + Numbers.fixed(f.a(), 3) + iv + "; "
                        + (f.loss() == null ? "no loss law" : "loss at 100x the largest compute "
                                + Numbers.sig4(f.loss().applyAsDouble(cr[1] * 100))) + ".");
            }
            IsoFlopResult p2 = fit.approach2();
            if (p2 != null) {
                long edges = p2.budgets().stream().filter(IsoFlopResult.Budget::edge).count();
                if (edges > 0) {
                    out.add("Approach 2: " + edges + " of " + p2.budgets().size() + " budgets have an edge minimum and "
                            + "are left out (a wider range of sizes at those budgets would fix this).");
                }
            }
        }
        out.add("Validation: " + data.validationSource() + (data.validation() == null ? "." : String.format(
                Locale.ROOT, "; mean |relative error| %.2f %% on %d held-out runs, %.0f %% inside their intervals.",
                100 * data.validation().summary().meanAbsRelError(), data.validation().summary().n(),
                100 * data.validation().summary().coverage())));
        return out;
    }

    private static void table(StringBuilder h, Table t) {
        h.append("<h3 id=\"").append(esc(t.id)).append("\">").append(esc(t.title)).append("</h3>\n");
        if (t.note != null && !t.note.isEmpty()) {
            h.append("<p class=\"tablenote\">").append(esc(t.note)).append("</p>\n");
        }
        if (t.rows.isEmpty()) {
            h.append("<p class=\"tablenote\">(empty)</p>\n");
            return;
        }
        boolean[] num = new boolean[t.header.size()];
        boolean[] shortText = new boolean[t.header.size()];
        for (int i = 0; i < num.length; i++) {
            num[i] = t.numeric(i);
            final int col = i;
            // short labels (run ids, shapes) read better unbroken; long notes wrap
            shortText[i] = t.rows.stream().allMatch(r -> col >= r.size() || r.get(col).length() <= 28);
        }
        h.append("<div class=\"scroll\"><table>\n<thead><tr>");
        for (String c : t.header) {
            h.append("<th>").append(esc(c)).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (List<String> r : t.rows) {
            h.append("<tr>");
            for (int i = 0; i < r.size(); i++) {
                String cls = i < num.length && num[i] ? " class=\"num\"" : i < num.length && shortText[i]
                        ? " class=\"nowrap\"" : "";
                h.append("<td").append(cls).append('>').append(esc(r.get(i))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table></div>\n");
    }

    /** fits.json without the bootstrap samples, which are long and add nothing to read. */
    static String withoutSamples(FitReport fit) {
        JsonNode tree = Json.mapper().valueToTree(fit);
        for (Approach a : Approach.SECTIONS) {
            JsonNode b = tree.path(a.key()).path("bootstrap");
            if (b instanceof ObjectNode o && o.has("samples")) {
                o.put("samples", "(" + o.path("samples").size() + " quantities, left out here; see fits.json)");
            }
        }
        return Json.write(tree);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
