package org.scalinglab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import de.erichseifert.vectorgraphics2d.intermediate.commands.Command;
import de.erichseifert.vectorgraphics2d.intermediate.commands.DrawStringCommand;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;

/** SVG and PDF figures carry their titles, legend and tick labels as text, not glyph outlines. */
class TextGraphicsTest {
    private static final Pattern TEXT = Pattern.compile("<text[^>]*>([^<]*)</text>");

    static List<String> texts(String svg) {
        List<String> out = new ArrayList<>();
        Matcher m = TEXT.matcher(svg);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static XYChart chart() {
        XYChart c = Charts.chart("Loss against steps", "step", "validation loss (nats/token)", false, false);
        Charts.line(c, "N = 11.7k", new double[] {0, 100, 200}, new double[] {3, 2.5, 2.2}, Charts.APPROACH3,
                Charts.SOLID);
        Charts.points(c, "best run", new double[] {100}, new double[] {2.5}, Charts.APPROACH2, Charts.STAR);
        return c;
    }

    @Test
    void textIsTextAndTheFileAFractionOfTheOutlines() throws Exception {
        XYChart c = chart();
        String svg = new String(Charts.svg(c), StandardCharsets.UTF_8);
        List<String> texts = texts(svg);
        for (String s : List.of("Loss against steps", "step", "validation loss (nats/token)", "N = 11.7k", "best run",
                "0", "100", "200", "2.5", "3")) {
            assertTrue(texts.contains(s), s + " in " + texts);
        }
        // the y-axis title keeps its quarter turn
        assertTrue(Pattern.compile("<g transform=\"matrix\\([^\"]*\\)\">\\s*<text[^>]*>validation loss").matcher(svg)
                .find(), "rotated y title");
        // in the PNG's font and size (VectorGraphics2D leaves out its default 12 px: the root gives it)
        assertTrue(svg.contains("font-size=\"12px\"") && svg.contains("font-size:16px;font-weight:bold;"), svg);
        // no glyph outline is left (TrueType glyphs are quadratic curves; nothing else in this chart is)
        assertFalse(Pattern.compile("<path d=\"[^\"]*Q").matcher(svg).find(), "a glyph outline left as a path");
        // the star marker is not text and is still filled
        assertTrue(svg.contains("fill:rgb(214,39,40)"), "the star is drawn");

        ByteArrayOutputStream outlines = new ByteArrayOutputStream();
        VectorGraphicsEncoder.saveVectorGraphic(c, outlines, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        assertTrue(svg.length() * 3 < outlines.size(), svg.length() + " bytes against XChart's " + outlines.size());
    }

    @Test
    void thePdfGetsTheSameTextCommands() {
        TextGraphics g = Charts.vector(chart(), new TextGraphics(TextGraphics::winAnsi));
        List<String> strings = new ArrayList<>();
        for (Command<?> cmd : g.getCommands()) {
            if (cmd instanceof DrawStringCommand d) {
                strings.add(d.getValue());
            }
        }
        assertTrue(strings.containsAll(List.of("Loss against steps", "step", "N = 11.7k", "best run")), strings.toString());
        assertEquals(strings.size(), g.replaced(), "every string came from a recognised outline");
    }

    @Test
    void thePdfKeepsOutlinesOfWhatWinAnsiCannotEncode() {
        XYChart c = Charts.chart("exponent \u03B1 \u2265 0.5", "step", "loss", false, false);
        Charts.line(c, "N = 11.7k", new double[] {0, 1}, new double[] {3, 2}, Charts.APPROACH3, Charts.SOLID);
        List<String> pdf = new ArrayList<>();
        for (Command<?> cmd : Charts.vector(c, new TextGraphics(TextGraphics::winAnsi)).getCommands()) {
            if (cmd instanceof DrawStringCommand d) {
                pdf.add(d.getValue());
            }
        }
        assertFalse(pdf.contains("exponent \u03B1 \u2265 0.5"), "VectorGraphics2D's PDF would write it as '? ?'");
        assertTrue(pdf.contains("N = 11.7k"), pdf.toString());
        assertTrue(texts(new String(Charts.svg(c), StandardCharsets.UTF_8)).contains("exponent \u03B1 \u2265 0.5"));
    }

    @Test
    void anUnknownOutlineIsFilledAsBefore() {
        TextGraphics g = new TextGraphics();
        g.expect(List.of("abc"), List.of(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12)));
        java.awt.font.TextLayout other = new java.awt.font.TextLayout("abd",
                new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12), g.getFontRenderContext());
        g.fill(other.getOutline(java.awt.geom.AffineTransform.getTranslateInstance(10, 20)));
        java.awt.font.TextLayout known = new java.awt.font.TextLayout("abc",
                new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 12), g.getFontRenderContext());
        g.fill(known.getOutline(java.awt.geom.AffineTransform.getTranslateInstance(10, 20)));
        assertEquals(1, g.replaced());
        List<String> kinds = new ArrayList<>();
        for (Command<?> cmd : g.getCommands()) {
            kinds.add(cmd.getClass().getSimpleName());
        }
        assertTrue(kinds.contains("FillShapeCommand") && kinds.contains("DrawStringCommand"), kinds.toString());
    }
}
