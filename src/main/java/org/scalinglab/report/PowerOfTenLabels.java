package org.scalinglab.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.awt.geom.Line2D;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.internal.chartpart.Annotation;
import org.knowm.xchart.style.XYStyler;

/**
 * The tick labels of a log axis as powers of ten, 10 with a raised exponent, where XChart writes "1E6".
 * XChart formats log ticks only through a DecimalFormat pattern, and a formatting function would switch
 * the axis to linear ticks; so {@link Charts#chart} draws XChart's own labels transparent (they keep their
 * space) and this overlay labels the axis itself, with a tick mark at each label: the coarsest set of
 * round values ({@link #candidates}: decades, 1-2-5, 1..9 x 10^k, then finer steps) that gives at least
 * {@link #MIN_TICKS} labels with room between them, so an axis spanning less than a decade (a loss from
 * 1.7 to 2.47) still reads 1.8, 2, 2.2, 2.4. Values from 0.001 to 9999 stay plain decimals (500, 1000, 2000).
 */
final class PowerOfTenLabels extends Annotation {
    /** Every log axis gets at least this many labels where round values allow it. */
    static final int MIN_TICKS = 3;
    /** Pixels between neighbouring labels. */
    private static final double LABEL_GAP = 8;

    private final boolean xAxis;
    private final Color color;

    PowerOfTenLabels(boolean xAxis, Color color) {
        super(false);
        this.xAxis = xAxis;
        this.color = color;
    }

    /** A label as its base ("10", "2×10", "0.5") and the exponent to raise after it (null: none). */
    record Label(String base, String exponent) {}

    /** How a tick at v is labelled. */
    static Label label(double v) {
        double a = Math.abs(v);
        if (a == 0 || (a >= 1e-3 && a < 1e4)) {
            return new Label(new DecimalFormat("0.###", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(v), null);
        }
        int k = (int) Math.floor(Math.log10(a) + 1e-9);
        double mantissa = v / Math.pow(10, k);
        String m = new DecimalFormat("0.##", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(mantissa);
        return new Label(m.equals("1") ? "10" : m.equals("-1") ? "-10" : m + "\u00D710", Integer.toString(k));
    }

    @Override
    public void paint(Graphics2D g) {
        if (!isVisible) {
            return;
        }
        XYStyler s = (XYStyler) styler;
        double lo = xAxis ? getXAxisScreenValueForMin() : Math.max(getYAxisScreenValueForMin(),
                getYAxisScreenValueForMax());
        double hi = xAxis ? getXAxisScreenValueForMax() : Math.min(getYAxisScreenValueForMin(),
                getYAxisScreenValueForMax());
        // the axis' data range fills the middle plotContentSize of the plot; the screen is linear in log10 v
        double inset = (1 - s.getPlotContentSize()) / 2 * (hi - lo);
        double s1 = screen(1);
        double perDecade = screen(10) - s1;
        if (!(Double.isFinite(perDecade) && perDecade != 0)) {
            return;
        }
        // the plot's bounds come in whole pixels: take the ticks within a pixel or two of the axis' ends
        double first = lo + inset;
        double last = hi - inset;
        double slack = 2 * Math.signum(last - first);
        double vLo = Math.pow(10, (first - slack - s1) / perDecade);
        double vHi = Math.pow(10, (last + slack - s1) / perDecade);
        double vMin = Math.min(vLo, vHi);
        double vMax = Math.max(vLo, vHi);

        Font font = s.getAxisTickLabelsFont();
        Font small = font.deriveFont(font.getSize2D() * 0.75f);
        FontRenderContext frc = g.getFontRenderContext();
        List<Double> ticks = null;
        List<Double> fits = null;
        for (List<Double> set : candidates(vMin, vMax)) {
            if (fit(set, font, small, frc)) {
                fits = fits == null || set.size() > fits.size() ? set : fits;
                if (set.size() >= MIN_TICKS) {
                    ticks = set;
                    break;
                }
            }
        }
        if (ticks == null) {
            // no set of round values gives three labels that fit: the most that fit, else the axis' ends
            ticks = fits != null && fits.size() >= 2 ? fits
                    : List.of(round3(Math.pow(10, (first - s1) / perDecade)), round3(Math.pow(10, (last - s1) / perDecade)));
        }

        int mark = s.getAxisTickMarkLength();
        int gap = mark + s.getAxisTickPadding();
        double plotBottom = Math.max(getYAxisScreenValueForMin(), getYAxisScreenValueForMax());
        double plotLeft = getXAxisScreenValueForMin();
        for (double v : ticks) {
            Label l = label(v);
            TextLayout base = new TextLayout(l.base(), font, frc);
            TextLayout exp = l.exponent() == null ? null : new TextLayout(l.exponent(), small, frc);
            double width = base.getAdvance() + (exp == null ? 0 : exp.getAdvance());
            double ascent = base.getAscent();
            double at = screen(v);
            double left = xAxis ? at - width / 2 : plotLeft - gap - width;
            double baseline = xAxis ? plotBottom + gap + ascent : at + ascent / 2;
            // a tick mark of its own: XChart's log axis marks only decades, or 1..9 x 10^k
            g.setColor(s.getAxisTickMarksColor());
            g.setStroke(s.getAxisTickMarksStroke());
            g.draw(xAxis ? new Line2D.Double(at, plotBottom, at, plotBottom + mark)
                    : new Line2D.Double(plotLeft - mark, at, plotLeft, at));
            // drawn as text, so the SVG and PDF carry it as text
            g.setColor(color);
            g.setFont(font);
            g.drawString(l.base(), (float) left, (float) baseline);
            if (exp != null) {
                g.setFont(small);
                g.drawString(l.exponent(), (float) (left + base.getAdvance()), (float) (baseline - 0.45 * ascent));
            }
        }
    }

    /** Whether the labels of {@code ticks} leave room between them along the axis. */
    private boolean fit(List<Double> ticks, Font font, Font small, FontRenderContext frc) {
        double prevAt = Double.NaN;
        double prevHalf = 0;
        for (double v : ticks) {
            Label l = label(v);
            TextLayout base = new TextLayout(l.base(), font, frc);
            double size = xAxis ? base.getAdvance() + (l.exponent() == null ? 0
                    : new TextLayout(l.exponent(), small, frc).getAdvance()) : base.getAscent() + base.getDescent();
            double at = screen(v);
            if (!Double.isNaN(prevAt) && Math.abs(at - prevAt) < prevHalf + size / 2 + LABEL_GAP) {
                return false;
            }
            prevAt = at;
            prevHalf = size / 2;
        }
        return true;
    }

    /**
     * Sets of round values between lo and hi to label, coarsest first: decades, 1-2-5 x 10^k, 1..9 x 10^k
     * (XChart's grid), then multiples of 5, 2 and 1 x 10^e, for an axis that spans too little of a decade
     * for those (1.8, 2, 2.2, 2.4 on a loss axis from 1.7 to 2.47). Each set has a value at most once.
     */
    static List<List<Double>> candidates(double lo, double hi) {
        List<List<Double>> out = new ArrayList<>();
        if (!(lo > 0 && hi >= lo && Double.isFinite(hi))) {
            return out;
        }
        out.add(ticks(lo, hi, new int[] {1}));
        out.add(ticks(lo, hi, new int[] {1, 2, 5}));
        out.add(ticks(lo, hi, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9}));
        int e = (int) Math.floor(Math.log10(hi - lo));
        for (int k = e; k >= e - 2; k--) {
            for (int m : new int[] {5, 2, 1}) {
                List<Double> set = new ArrayList<>();
                BigDecimal step = BigDecimal.valueOf(m).scaleByPowerOfTen(k);
                BigDecimal v = BigDecimal.valueOf(lo).divide(step, 0, RoundingMode.CEILING).multiply(step);
                for (int i = 0; i < 40 && v.doubleValue() <= hi; i++, v = v.add(step)) {
                    set.add(v.doubleValue());
                }
                if (set.size() < 40) {
                    out.add(set);
                }
            }
        }
        return out;
    }

    private double screen(double v) {
        return xAxis ? chart.getScreenXFromChart(v) : chart.getScreenYFromChart(v);
    }

    /** The values m x 10^k between lo and hi, m from {@code mantissas}. */
    static List<Double> ticks(double lo, double hi, int[] mantissas) {
        List<Double> out = new ArrayList<>();
        for (int k = (int) Math.floor(Math.log10(lo)); k <= (int) Math.ceil(Math.log10(hi)); k++) {
            for (int m : mantissas) {
                double v = BigDecimal.valueOf(m).scaleByPowerOfTen(k).doubleValue();
                if (v >= lo && v <= hi) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    /** Three significant digits: an axis end recovered from whole pixels is no more precise than that. */
    private static double round3(double v) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.2e", v));
    }
}
