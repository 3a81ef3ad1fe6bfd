package org.scalinglab.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
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
 * space) and this overlay labels the same ticks: every decade, or every 1..9 x 10^k when the axis shows
 * less than a decade or so ({@link Charts#fitLogTicks}). Values from 0.001 to 1000 stay plain decimals,
 * as XChart writes them.
 */
final class PowerOfTenLabels extends Annotation {
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
        if (a == 0 || (a >= 1e-3 && a <= 1e3)) {
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
        boolean decadesOnly = xAxis ? s.isXAxisLogarithmicDecadeOnly() : s.isYAxisLogarithmicDecadeOnly();
        List<Double> ticks = ticks(Math.min(vLo, vHi), Math.max(vLo, vHi), decadesOnly);
        if (ticks.size() < 2) {
            // as XChart does, label the ends instead: the outermost 1..9 x 10^k ticks, else the ends themselves
            List<Double> all = ticks(Math.min(vLo, vHi), Math.max(vLo, vHi), false);
            ticks = all.size() >= 2 ? List.of(all.get(0), all.get(all.size() - 1))
                    : List.of(round3(Math.pow(10, (first - s1) / perDecade)),
                            round3(Math.pow(10, (last - s1) / perDecade)));
        }

        Font font = s.getAxisTickLabelsFont();
        Font small = font.deriveFont(font.getSize2D() * 0.75f);
        FontRenderContext frc = g.getFontRenderContext();
        int gap = s.getAxisTickMarkLength() + s.getAxisTickPadding();
        double plotBottom = Math.max(getYAxisScreenValueForMin(), getYAxisScreenValueForMax());
        double plotLeft = getXAxisScreenValueForMin();
        g.setColor(color);
        for (double v : ticks) {
            Label l = label(v);
            TextLayout base = new TextLayout(l.base(), font, frc);
            TextLayout exp = l.exponent() == null ? null : new TextLayout(l.exponent(), small, frc);
            double width = base.getAdvance() + (exp == null ? 0 : exp.getAdvance());
            double ascent = base.getAscent();
            double at = screen(v);
            double left = xAxis ? at - width / 2 : plotLeft - gap - width;
            double baseline = xAxis ? plotBottom + gap + ascent : at + ascent / 2;
            // drawn as text, so the SVG and PDF carry it as text
            g.setFont(font);
            g.drawString(l.base(), (float) left, (float) baseline);
            if (exp != null) {
                g.setFont(small);
                g.drawString(l.exponent(), (float) (left + base.getAdvance()), (float) (baseline - 0.45 * ascent));
            }
        }
    }

    private double screen(double v) {
        return xAxis ? chart.getScreenXFromChart(v) : chart.getScreenYFromChart(v);
    }

    /** The ticks XChart's log axis labels between lo and hi: decades, or every 1..9 x 10^k. */
    static List<Double> ticks(double lo, double hi, boolean decadesOnly) {
        List<Double> out = new ArrayList<>();
        if (!(lo > 0 && hi >= lo && Double.isFinite(hi))) {
            return out;
        }
        for (int k = (int) Math.floor(Math.log10(lo)); k <= (int) Math.ceil(Math.log10(hi)); k++) {
            for (int j = 1; j <= (decadesOnly ? 1 : 9); j++) {
                double v = j * Math.pow(10, k);
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
