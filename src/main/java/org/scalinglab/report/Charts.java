package org.scalinglab.report;

import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.DoubleStream;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Annotation;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.scalinglab.fit.approach.Approach;

/**
 * The look of every report figure (white background, light grid, 13-15 px sans-serif, legend outside the
 * plot), the colour maps, a few markers XChart lacks, and rendering to PNG and SVG. XChart draws; this
 * class only configures it and adds series in the few shapes the figures need: lines (NaN breaks a line
 * into pieces), points, and interval bands as closed polygons.
 */
final class Charts {
    static {
        // before any AWT class loads: the report is drawn on servers without a display
        System.setProperty("java.awt.headless", "true");
    }

    /** Logical size of a figure in CSS pixels; the PNG is drawn at {@link #PNG_SCALE} times this. */
    static final int WIDTH = 900;
    static final int HEIGHT = 540;
    static final int PNG_SCALE = 2;

    static final Color GRID = new Color(0xE3, 0xE3, 0xE3);
    static final Color INK = new Color(0x22, 0x22, 0x22);
    static final Color GREY = new Color(0x8C, 0x8C, 0x8C);
    /** The Chinchilla reference line: darker than {@link #GREY}, so it reads apart from Kaplan's. */
    static final Color REFERENCE = new Color(0x5A, 0x5A, 0x5A);
    static final Color LIGHT_GREY = new Color(0xC4, 0xC4, 0xC4);
    private static final Color TRANSPARENT = new Color(0, 0, 0, 0);

    /** One colour per approach, the same in every figure (matplotlib's tab10). */
    static final Color APPROACH3 = new Color(0x1F, 0x77, 0xB4);
    static final Color APPROACH2 = new Color(0xD6, 0x27, 0x28);
    static final Color APPROACH1 = new Color(0x2C, 0xA0, 0x2C);
    static final Color KAPLAN = new Color(0x94, 0x67, 0xBD);
    static final Color APPROACH3_BOUNDED = new Color(0x17, 0xBE, 0xCF);

    /** A law's colour in every figure, by its fits.json key; a law without its own takes approach 3's. */
    static Color color(String law) {
        return switch (Approach.ofKey(law).orElse(Approach.PARAMETRIC)) {
            case ISOFLOP -> APPROACH2;
            case ENVELOPE -> APPROACH1;
            case KAPLAN -> KAPLAN;
            case PARAMETRIC_BOUNDED -> APPROACH3_BOUNDED;
            default -> APPROACH3;
        };
    }

    static final BasicStroke SOLID = new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    static final BasicStroke THIN = new BasicStroke(1.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    static final BasicStroke DASHED = new BasicStroke(2.0f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[] {7f, 5f}, 0f);
    static final BasicStroke DOTTED = new BasicStroke(2.0f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f,
            new float[] {1.5f, 4.5f}, 0f);
    /** A band's edges ({@link #bands}). */
    static final BasicStroke EDGE = new BasicStroke(1.0f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    /** Reference lines (published exponents): a pattern no law and no extrapolation uses. */
    static final BasicStroke DASH_DOT = new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[] {10f, 3.5f, 2f, 3.5f}, 0f);
    static final BasicStroke THIN_DASHED = new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[] {5f, 4f}, 0f);

    private static final String FONT = Font.SANS_SERIF;

    // matplotlib's viridis and plasma at 0, 0.1, ..., 1
    private static final int[] VIRIDIS = {0x440154, 0x482475, 0x414487, 0x355F8D, 0x2A788E, 0x21918C, 0x22A884,
        0x44BF70, 0x7AD151, 0xBDDF26, 0xFDE725};
    private static final int[] PLASMA = {0x0D0887, 0x41049D, 0x6A00A8, 0x8F0DA4, 0xB12A90, 0xCC4778, 0xE16462,
        0xF2844B, 0xFCA636, 0xFCCE25, 0xF0F921};

    private Charts() {}

    /** An empty chart in the report's style; axes logarithmic as asked. */
    static XYChart chart(String title, String xTitle, String yTitle, boolean logX, boolean logY) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
        XYStyler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(LIGHT_GREY);
        s.setPlotGridLinesColor(GRID);
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setChartFontColor(INK);
        s.setAxisTickLabelsColor(INK);
        s.setAxisTickMarksColor(GREY);
        s.setBaseFont(new Font(FONT, Font.PLAIN, 13));
        s.setChartTitleFont(new Font(FONT, Font.BOLD, 16));
        s.setChartTitleBoxVisible(false);
        s.setAxisTitleFont(new Font(FONT, Font.PLAIN, 14));
        s.setAxisTickLabelsFont(new Font(FONT, Font.PLAIN, 12));
        s.setLegendFont(new Font(FONT, Font.PLAIN, 12));
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendBorderColor(LIGHT_GREY);
        s.setLegendPadding(6);
        s.setLegendSeriesLineLength(26);
        s.setChartPadding(12);
        s.setMarkerSize(7);
        s.setAntiAlias(true);
        s.setToolTipsEnabled(false);
        s.setXAxisLogarithmic(logX);
        s.setYAxisLogarithmic(logY);
        // a formatting function makes XChart use its linear tick calculator, so only linear axes get one;
        // a log axis keeps XChart's ticks, its labels (1E10) hidden under powers of ten drawn over them
        if (logX) {
            s.setXAxisTickLabelsColor(TRANSPARENT);
            c.addAnnotation(new PowerOfTenLabels(true, INK));
        } else {
            s.setxAxisTickLabelsFormattingFunction(Charts::tick);
        }
        if (logY) {
            s.setYAxisTickLabelsColor(TRANSPARENT);
            s.setYAxisDecimalPattern(hiddenPattern(0, 0));
            c.addAnnotation(new PowerOfTenLabels(false, INK));
        } else {
            s.setyAxisTickLabelsFormattingFunction(Charts::tick);
        }
        s.setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Line);
        return c;
    }

    /**
     * XChart's log grid: only decades when the data span more than a decade, and every 1..9 x 10^k when
     * they span less. The labels are {@link PowerOfTenLabels}' own choice (at least three where it can).
     */
    static void fitLogTicks(XYChart c, double xMin, double xMax, double yMin, double yMax) {
        XYStyler s = c.getStyler();
        s.setXAxisLogarithmicDecadeOnly(!(xMax / xMin < 8));
        s.setYAxisLogarithmicDecadeOnly(!(yMax / yMin < 8));
        if (s.isYAxisLogarithmic()) {
            s.setYAxisDecimalPattern(hiddenPattern(yMin, yMax));
        }
    }

    /**
     * The pattern of XChart's hidden log-axis labels, which reserve the y axis' width: at least as wide as
     * the labels {@link PowerOfTenLabels} draws over them (2.5×10^4, or plain decimals on an axis from
     * 0.001 to 9999), so these never run into the axis title.
     */
    static String hiddenPattern(double lo, double hi) {
        if (lo >= 1e-3 && hi >= lo && hi < 10) {
            return "0.000";
        }
        return lo >= 1e-3 && hi >= lo && hi < 1e4 ? "0.0" : "0.00E00";
    }

    /** Tick labels: 1e10, 3e4, 2.5, 0.01, never 1E10. */
    static String tick(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e4 || a < 1e-2) {
            String s = String.format(Locale.ROOT, "%.1e", v);
            String mant = s.substring(0, s.indexOf('e')).replaceAll("\\.0$", "");
            int exp = Integer.parseInt(s.substring(s.indexOf('e') + 1));
            return mant + "e" + exp;
        }
        String s = String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s;
    }

    // ---------------------------------------------------------------- series

    /**
     * A line; NaN breaks it into pieces, so one series can hold many segments. XChart strokes a line
     * segment by segment, restarting the dash pattern at every point, so a dashed line through many points
     * would look solid: a dashed line is therefore stroked as one path by {@link PathOverlay}, with an
     * undrawn copy of the data for the axis ranges and a one-point series for its legend entry (returned).
     */
    static XYSeries line(XYChart c, String name, double[] x, double[] y, Color color, BasicStroke stroke) {
        if (stroke.getDashArray() == null) {
            XYSeries s = c.addSeries(name, x, y);
            s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            s.setLineColor(color);
            s.setLineStyle(stroke);
            s.setMarker(SeriesMarkers.NONE);
            return s;
        }
        XYSeries range = c.addSeries(name + " (extent)", x, y);
        range.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        range.setLineStyle(SeriesLines.NONE);
        range.setLineColor(color);
        range.setMarker(SeriesMarkers.NONE);
        range.setShowInLegend(false);
        c.addAnnotation(new PathOverlay(x, y, color, stroke));
        int first = 0;
        while (first < y.length - 1 && !(Double.isFinite(x[first]) && Double.isFinite(y[first]))) {
            first++;
        }
        XYSeries key = c.addSeries(name, new double[] {x[first]}, new double[] {y[first]});
        key.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        key.setLineColor(color);
        key.setLineStyle(stroke);
        key.setMarker(SeriesMarkers.NONE);
        return key;
    }

    /** Strokes a polyline (NaN starts a new piece) as one path in data coordinates, clipped to the plot. */
    private static final class PathOverlay extends Annotation {
        private final double[] x;
        private final double[] y;
        private final Color color;
        private final BasicStroke stroke;

        PathOverlay(double[] x, double[] y, Color color, BasicStroke stroke) {
            super(false);
            this.x = x.clone();
            this.y = y.clone();
            this.color = color;
            this.stroke = stroke;
        }

        @Override
        public void paint(Graphics2D g) {
            if (!isVisible) {
                return;
            }
            Path2D.Double path = new Path2D.Double();
            boolean pen = false;
            for (int i = 0; i < x.length; i++) {
                double sx = chart.getScreenXFromChart(x[i]);
                double sy = chart.getScreenYFromChart(y[i]);
                if (!Double.isFinite(sx) || !Double.isFinite(sy)) {
                    pen = false;
                } else if (pen) {
                    path.lineTo(sx, sy);
                } else {
                    path.moveTo(sx, sy);
                    pen = true;
                }
            }
            java.awt.Shape clip = g.getClip();
            int x0 = getXAxisScreenValueForMin();
            int y0 = getYAxisScreenValueForMax();
            g.clip(new java.awt.Rectangle(x0, Math.min(y0, getYAxisScreenValueForMin()),
                    getXAxisScreenValueForMax() - x0, Math.abs(getYAxisScreenValueForMin() - y0)));
            g.setColor(color);
            g.setStroke(stroke);
            g.draw(path);
            g.setClip(clip);
        }
    }

    static XYSeries points(XYChart c, String name, double[] x, double[] y, Color color, Marker marker) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        s.setMarker(marker);
        s.setMarkerColor(color);
        s.setLineColor(color);
        return s;
    }

    /**
     * A filled band between {@code low} and {@code high} over {@code x} (sorted), as one closed polygon;
     * points where a bound is not finite, or the upper one not positive, are left out. A lower bound at or
     * below zero (an interval that reaches zero) is drawn a million times below the upper one: off the
     * bottom of any log axis the report draws, without coordinates Java2D cannot handle.
     */
    static XYSeries band(XYChart c, String name, double[] x, double[] low, double[] high, Color color) {
        List<double[]> keep = bandPoints(x, low, high);
        int n = keep.size();
        double[] px = new double[2 * n];
        double[] py = new double[2 * n];
        for (int k = 0; k < n; k++) {
            double[] p = keep.get(k);
            px[k] = p[0];
            py[k] = p[2];
            px[2 * n - 1 - k] = p[0];
            py[2 * n - 1 - k] = p[1];
        }
        XYSeries s = c.addSeries(name, px, py);
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
        s.setFillColor(withAlpha(color, 46));
        s.setLineColor(withAlpha(color, 0));
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    /** One law's interval band over x, for {@link #bands}. */
    record Band(String name, double[] x, double[] low, double[] high, Color color) {}

    /** Fill opacity of a band drawn with others ({@link #bands}): light enough that three overlaps stay pale. */
    static final int OVERLAP_ALPHA = 28;

    /**
     * Several laws' bands on one chart, legible where they overlap: each lightly filled in its own colour
     * and edged by thin lines of that colour (drawn over the plot, as {@link PathOverlay}s), the widest
     * drawn first (behind the narrower ones), so no band hides another and overlaps do not turn into one
     * muddy colour. Bands without enough points are left out.
     */
    static void bands(XYChart c, List<Band> bands) {
        List<Band> drawn = new ArrayList<>(bands.stream().filter(b -> drawable(b.low(), b.high())).toList());
        drawn.sort(Comparator.comparingDouble(Charts::logWidth).reversed());
        for (Band b : drawn) {
            band(c, b.name(), b.x(), b.low(), b.high(), b.color()).setFillColor(withAlpha(b.color(), OVERLAP_ALPHA));
            for (double[] edge : new double[][] {b.low(), b.high()}) {
                double[] y = Arrays.stream(edge).map(v -> v > 0 && Double.isFinite(v) ? v : Double.NaN).toArray();
                // one path per edge (an XChart series would be a line element per segment in the SVG)
                c.addAnnotation(new PathOverlay(b.x(), y, withAlpha(b.color(), 170), EDGE));
            }
        }
    }

    /** The mean of ln(high / low) where both are positive: how wide a band looks on a log axis. */
    static double logWidth(Band b) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < b.low().length; i++) {
            if (b.low()[i] > 0 && b.high()[i] > b.low()[i] && Double.isFinite(b.high()[i])) {
                sum += Math.log(b.high()[i] / b.low()[i]);
                n++;
            }
        }
        return n == 0 ? Double.POSITIVE_INFINITY : sum / n;
    }

    /** A legend entry alone: a line style explained, drawn nowhere (one point at (x, y), inside the plot). */
    static XYSeries key(XYChart c, String name, double x, double y, Color color, BasicStroke stroke) {
        XYSeries s = c.addSeries(name, new double[] {x}, new double[] {y});
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        s.setLineColor(color);
        s.setLineStyle(stroke);
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    /** Whether a band has enough points to draw. */
    static boolean drawable(double[] low, double[] high) {
        return bandPoints(new double[low.length], low, high).size() >= 2;
    }

    private static List<double[]> bandPoints(double[] x, double[] low, double[] high) {
        List<double[]> keep = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (Double.isFinite(low[i]) && Double.isFinite(high[i]) && high[i] > 0) {
                keep.add(new double[] {x[i], low[i] > 0 ? low[i] : high[i] * 1e-6, high[i]});
            }
        }
        return keep;
    }

    static Color withAlpha(Color c, int alpha) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }

    // ---------------------------------------------------------------- colour maps

    /** Viridis at t in [0, 1], stopping short of its pale yellow end, which vanishes on white. */
    static Color viridis(double t) {
        return interpolate(VIRIDIS, 0.88 * clamp(t));
    }

    /** Plasma at t in [0, 1], stopping short of its pale yellow end. */
    static Color plasma(double t) {
        return interpolate(PLASMA, 0.85 * clamp(t));
    }

    /** Position of v between lo and hi on a log scale, 0.5 when they coincide. */
    static double logPosition(double v, double lo, double hi) {
        return hi > lo ? (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : 0.5;
    }

    private static double clamp(double t) {
        return Double.isFinite(t) ? Math.max(0, Math.min(1, t)) : 0.5;
    }

    private static Color interpolate(int[] stops, double t) {
        double p = t * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) Math.floor(p));
        double f = p - i;
        int a = stops[i];
        int b = stops[i + 1];
        return new Color(mix(a >> 16, b >> 16, f), mix(a >> 8, b >> 8, f), mix(a, b, f));
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round((a & 0xFF) * (1 - f) + (b & 0xFF) * f);
    }

    // ---------------------------------------------------------------- markers

    static final Marker CIRCLE = SeriesMarkers.CIRCLE;
    static final Marker DIAMOND = SeriesMarkers.DIAMOND;
    static final Marker SQUARE = SeriesMarkers.SQUARE;
    static final Marker TRIANGLE = SeriesMarkers.TRIANGLE_UP;
    static final Marker HOLLOW_CIRCLE = new Hollow(false);
    static final Marker HOLLOW_DIAMOND = new Hollow(true);
    static final Marker STAR = new Star();

    /** An outline marker: what the report uses for points a fit left out (edge minima). */
    private static final class Hollow extends Marker {
        private final boolean diamond;

        Hollow(boolean diamond) {
            this.diamond = diamond;
        }

        @Override
        public void paint(Graphics2D g, double x, double y, int size) {
            g.setStroke(new BasicStroke(1.8f));
            double r = size * 0.75;
            if (diamond) {
                Path2D.Double p = new Path2D.Double();
                p.moveTo(x, y - r);
                p.lineTo(x + r, y);
                p.lineTo(x, y + r);
                p.lineTo(x - r, y);
                p.closePath();
                g.draw(p);
            } else {
                g.draw(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
            }
        }
    }

    /** A five-pointed star, for fitted minima. */
    private static final class Star extends Marker {
        @Override
        public void paint(Graphics2D g, double x, double y, int size) {
            double outer = size * 1.1;
            double inner = outer * 0.45;
            Path2D.Double p = new Path2D.Double();
            for (int k = 0; k < 10; k++) {
                double r = k % 2 == 0 ? outer : inner;
                double a = -Math.PI / 2 + k * Math.PI / 5;
                if (k == 0) {
                    p.moveTo(x + r * Math.cos(a), y + r * Math.sin(a));
                } else {
                    p.lineTo(x + r * Math.cos(a), y + r * Math.sin(a));
                }
            }
            p.closePath();
            g.fill(p);
        }
    }

    // ---------------------------------------------------------------- rendering

    /** PNG at {@link #PNG_SCALE} times the logical size, so text stays sharp on high-density screens. */
    static byte[] png(XYChart c) {
        BufferedImage img = new BufferedImage(c.getWidth() * PNG_SCALE, c.getHeight() * PNG_SCALE,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.scale(PNG_SCALE, PNG_SCALE);
            c.paint(g, c.getWidth(), c.getHeight());
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException("PNG encoding failed", e);
        }
        return out.toByteArray();
    }

    private static final Pattern GEOMETRY = Pattern.compile(
            "( (?:d|x|y|x1|x2|y1|y2|cx|cy|rx|ry|width|height|transform)=\")([^\"]*)\"");
    private static final Pattern DIGITS = Pattern.compile("(\\d\\.\\d\\d)\\d+");

    /**
     * SVG with its text as {@code <text>} elements ({@link TextGraphics}), in the font the PNG uses with a
     * generic sans-serif after it, for a viewer that lacks that font.
     */
    static byte[] svg(XYChart c) {
        TextGraphics g = vector(c, new TextGraphics());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new de.erichseifert.vectorgraphics2d.svg.SVGProcessor()
                    .getDocument(g.getCommands(), new PageSize(0, 0, c.getWidth(), c.getHeight())).writeTo(out);
        } catch (IOException e) {
            throw new IllegalStateException("SVG encoding failed", e);
        }
        // VectorGraphics2D leaves out the size and family of its default font (Dialog, 12): the root
        // supplies them, else a browser would use its own 16 px
        String svg = out.toString(StandardCharsets.UTF_8)
                .replaceFirst("<svg ", "<svg font-family=\"sans-serif\" font-size=\"12px\" ")
                .replaceAll("font-family:&quot;([^&;]+)&quot;;", "font-family:&quot;$1&quot;,sans-serif;");
        // coordinates to 1/100 px (VectorGraphics2D writes 16 digits): a third of a figure's size
        svg = GEOMETRY.matcher(svg).replaceAll(m -> Matcher.quoteReplacement(m.group(1)
                + DIGITS.matcher(m.group(2)).replaceAll("$1") + "\""));
        return svg.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * PDF through the same vector renderer and {@link TextGraphics} (VectorGraphics2D's own PDF writer,
     * compressed; XChart's PDF path needs PDFBox): text is PDF text (in the PNG's font, not embedded) where
     * WinAnsi can encode it, else outlines as before.
     */
    static byte[] pdf(XYChart c) {
        TextGraphics g = vector(c, new TextGraphics(TextGraphics::winAnsi));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new de.erichseifert.vectorgraphics2d.pdf.PDFProcessor(true)
                    .getDocument(g.getCommands(), new PageSize(0, 0, c.getWidth(), c.getHeight())).writeTo(out);
        } catch (IOException e) {
            throw new IllegalStateException("PDF encoding failed", e);
        } finally {
            g.dispose();
        }
        return out.toByteArray();
    }

    /**
     * The chart painted into a {@link TextGraphics} that expects its titles, legend labels and tick labels
     * (recorded as the formatting functions hand them to XChart while it paints) in the styler's fonts.
     */
    static TextGraphics vector(XYChart c, TextGraphics g) {
        XYStyler s = c.getStyler();
        List<Font> fonts = List.of(s.getChartTitleFont(), s.getAxisTitleFont(), s.getAxisTickLabelsFont(),
                s.getLegendFont());
        List<String> texts = new ArrayList<>(List.of(c.getTitle(), c.getXAxisTitle(), c.getYAxisTitle()));
        for (int group = 0; group < 4; group++) {
            texts.add(c.getYAxisGroupTitle(group));
        }
        c.getSeriesMap().values().forEach(x -> texts.add(x.getLabel()));
        texts.removeIf(Objects::isNull);
        g.expect(texts, fonts);
        Function<Double, String> fx = s.getxAxisTickLabelsFormattingFunction();
        Function<Double, String> fy = s.getyAxisTickLabelsFormattingFunction();
        List<Font> tickFont = List.of(s.getAxisTickLabelsFont());
        if (fx != null) {
            s.setxAxisTickLabelsFormattingFunction(v -> expect(g, fx.apply(v), tickFont));
        }
        if (fy != null) {
            s.setyAxisTickLabelsFormattingFunction(v -> expect(g, fy.apply(v), tickFont));
        }
        try {
            c.paint(g, c.getWidth(), c.getHeight());
        } finally {
            s.setxAxisTickLabelsFormattingFunction(fx);
            s.setyAxisTickLabelsFormattingFunction(fy);
        }
        return g;
    }

    private static String expect(TextGraphics g, String text, List<Font> fonts) {
        g.expect(List.of(text), fonts);
        return text;
    }

    // ---------------------------------------------------------------- shapes several figures draw

    /** A law as a solid line over the sweep and a dashed one beyond it; one legend entry. */
    static void lawLine(XYChart c, String name, double[] cs, DoubleUnaryOperator f, double cMax, Color col) {
        List<double[]> in = new ArrayList<>();
        List<double[]> beyond = new ArrayList<>();
        for (double x : cs) {
            double y = f.applyAsDouble(x);
            if (!(y > 0 && Double.isFinite(y))) {
                continue;
            }
            if (x <= cMax * 1.0001) {
                in.add(new double[] {x, y});
            }
            if (x >= cMax / 1.2) {
                beyond.add(new double[] {x, y});
            }
        }
        if (!in.isEmpty()) {
            Charts.line(c, name, PlotData.column(in, 0), PlotData.column(in, 1), col, Charts.SOLID);
        }
        if (!beyond.isEmpty()) {
            line(c, name + " (extrapolated)", PlotData.column(beyond, 0), PlotData.column(beyond, 1), col, DASHED)
                    .setShowInLegend(in.isEmpty());
        }
    }

    /**
     * Bounds a log y axis to the data it must show, widened by a factor of 1.3 each way, so that a law
     * that runs off (a poorly identified exponent, say) cannot squeeze everything else into a line.
     */
    static void clampLogY(XYChart c, double[] range) {
        if (range[2] > 0 && range[3] >= range[2] && Double.isFinite(range[3])) {
            c.getStyler().setYAxisMin(range[2] / 1.3);
            c.getStyler().setYAxisMax(range[3] * 1.3);
        }
    }

    /**
     * Predicted-against-measured axes: the dashed line predicted = measured, and both axes over the
     * finite values shown, padded by 5% of their range.
     */
    static void identityAxes(XYChart c, DoubleStream values) {
        double[] v = values.filter(Double::isFinite).toArray();
        double lo = Arrays.stream(v).min().orElse(0);
        double hi = Arrays.stream(v).max().orElse(1);
        double pad = Math.max(0.05 * (hi - lo), 0.01 * Math.abs(hi));
        double[] diag = {lo - pad, hi + pad};
        Charts.line(c, "predicted = measured", diag, diag, Charts.GREY, Charts.DASHED);
        c.getStyler().setXAxisMin(diag[0]);
        c.getStyler().setXAxisMax(diag[1]);
        c.getStyler().setYAxisMin(diag[0]);
        c.getStyler().setYAxisMax(diag[1]);
    }
}
