package org.scalinglab.report;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.geom.PathIterator;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * VectorGraphics2D that writes XChart's text as text. XChart draws every string (titles, tick labels, the
 * legend) as {@code g.fill(new TextLayout(s, font, frc).getOutline(at))}, so SVG and PDF get glyph outlines:
 * no text to select or search, and most of the file's size. This graphics knows the strings a chart can
 * draw with the fonts it can draw them in ({@link #expect}); a filled shape whose path is one of those
 * outlines, segment for segment up to a translation, is written as {@code drawString} of that string at
 * that point under the same transform (so the rotated y-axis title stays rotated), in the same font and
 * colour. Every other shape is filled as before, so nothing is lost when a string is not recognised (or
 * is one the document cannot write as text, see {@link #winAnsi}); fully transparent fills (the log-axis
 * labels {@link PowerOfTenLabels} hides) are dropped.
 */
final class TextGraphics extends VectorGraphics2D {
    /** Coordinates within this many pixels are the same: glyph outlines differ by far more. */
    private static final double TOLERANCE = 1e-2;

    /** XChart lays out text in these: the graphics' own, and the one its title and legend make. */
    private static final FontRenderContext[] CONTEXTS = {
        new FontRenderContext(null, false, true), new FontRenderContext(null, true, false)};

    /** XChart turns the y-axis titles by this (their outline, not the graphics) before it fills them. */
    private static final double[] ROTATIONS = {0, -Math.PI / 2};

    /** An outline a string makes in a font, at the origin, turned by {@code rotation}. */
    private record Outline(String text, Font font, double rotation, int[] types, double[] coords) {}

    private final Predicate<String> writable;
    // shared with the copies create() makes (a clone keeps the class and these references)
    private final Map<Integer, List<Outline>> bySegments = new HashMap<>();
    private final Set<String> seen = new HashSet<>();
    private final int[] replaced = {0};

    /** @param writable which strings the document can write as text (the others stay outlines) */
    TextGraphics(Predicate<String> writable) {
        this.writable = writable;
    }

    /** Text as text wherever it is recognised (SVG: any Unicode string). */
    TextGraphics() {
        this(s -> true);
    }

    /**
     * VectorGraphics2D's PDF writer encodes text as WinAnsi (windows-1252) and writes '?' for anything
     * else: only such strings become PDF text there.
     */
    static boolean winAnsi(String s) {
        return WIN_ANSI.newEncoder().canEncode(s);
    }

    private static final Charset WIN_ANSI = Charset.forName("windows-1252");

    /** Strings {@code texts} may be drawn in any of {@code fonts}; more can be added while painting. */
    void expect(Collection<String> texts, Collection<Font> fonts) {
        for (String text : texts) {
            for (String line : text == null ? new String[0] : text.split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                for (Font font : fonts) {
                    if (!seen.add(line + '\u0000' + font)) {
                        continue;
                    }
                    for (FontRenderContext frc : CONTEXTS) {
                        TextLayout layout = new TextLayout(line, font, frc);
                        for (double r : ROTATIONS) {
                            Outline o = outline(line, font, r, layout.getOutline(AffineTransform.getRotateInstance(r)));
                            bySegments.computeIfAbsent(o.types().length, k -> new ArrayList<>()).add(o);
                        }
                    }
                }
            }
        }
    }

    /** How many filled shapes were written as text. */
    int replaced() {
        return replaced[0];
    }

    @Override
    public void fill(Shape s) {
        if (getPaint() instanceof Color c && c.getAlpha() == 0) {
            return;
        }
        List<Outline> same = bySegments.getOrDefault(segments(s), List.of());
        Outline path = same.isEmpty() ? null : outline(null, null, 0, s);
        for (Outline o : same) {
            double[] d = offset(o, path);
            if (d != null && writable.test(o.text())) {
                Font font = getFont();
                setFont(o.font());
                if (o.rotation() == 0) {
                    drawString(o.text(), (float) d[0], (float) d[1]);
                } else {
                    AffineTransform at = getTransform();
                    translate(d[0], d[1]);
                    rotate(o.rotation());
                    drawString(o.text(), 0f, 0f);
                    setTransform(at);
                }
                setFont(font);
                replaced[0]++;
                return;
            }
        }
        super.fill(s);
    }

    /** The translation that takes {@code o} onto {@code path}, or null when the two differ otherwise. */
    private static double[] offset(Outline o, Outline path) {
        if (o.coords().length != path.coords().length || o.coords().length < 2) {
            return null;
        }
        for (int i = 0; i < o.types().length; i++) {
            if (o.types()[i] != path.types()[i]) {
                return null;
            }
        }
        double dx = path.coords()[0] - o.coords()[0];
        double dy = path.coords()[1] - o.coords()[1];
        for (int i = 0; i < o.coords().length; i += 2) {
            if (Math.abs(path.coords()[i] - o.coords()[i] - dx) > TOLERANCE
                    || Math.abs(path.coords()[i + 1] - o.coords()[i + 1] - dy) > TOLERANCE) {
                return null;
            }
        }
        return new double[] {dx, dy};
    }

    private static int segments(Shape s) {
        int n = 0;
        for (PathIterator it = s.getPathIterator(null); !it.isDone(); it.next()) {
            n++;
        }
        return n;
    }

    /** A shape's segment types and the points they pass through, in order. */
    private static Outline outline(String text, Font font, double rotation, Shape s) {
        List<Integer> types = new ArrayList<>();
        List<Double> coords = new ArrayList<>();
        double[] c = new double[6];
        for (PathIterator it = s.getPathIterator(null); !it.isDone(); it.next()) {
            int type = it.currentSegment(c);
            types.add(type);
            int points = switch (type) {
                case PathIterator.SEG_MOVETO, PathIterator.SEG_LINETO -> 1;
                case PathIterator.SEG_QUADTO -> 2;
                case PathIterator.SEG_CUBICTO -> 3;
                default -> 0;
            };
            for (int k = 0; k < 2 * points; k++) {
                coords.add(c[k]);
            }
        }
        return new Outline(text, font, rotation, types.stream().mapToInt(Integer::intValue).toArray(),
                coords.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
