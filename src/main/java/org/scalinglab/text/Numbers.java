package org.scalinglab.text;

import java.util.Locale;

/**
 * The number formats of scalinglab's console output and report, one method per format. Each is a
 * format some output prints today, so they are not merged where they differ: a count in a progress
 * line ({@link #si}) does not read like a fitted coefficient ({@link #sig4}).
 */
public final class Numbers {
    private static final String[] SI_UNITS = {"k", "M", "G", "T", "P", "E"};

    private Numbers() {}

    /** A count: 1234567 -> 1.23M (three significant digits and k, M, G, T, P, E); below 10,000 the plain number. */
    public static String si(double v) {
        if (Math.abs(v) < 10_000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        double x = v;
        int u = -1;
        while (Math.abs(x) >= 1000 && u < SI_UNITS.length - 1) {
            x /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.3g%s", x, SI_UNITS[u]);
    }

    /**
     * A count as ML papers write it, three significant digits and k, M, B (billions), T, P:
     * 11712 -> 11.7k, 6.62e9 -> 6.62B, 1.4e12 -> 1.40T; below 1,000 the number itself to three digits.
     */
    public static String count(double v) {
        if (!Double.isFinite(v)) {
            return "-";
        }
        String[] units = {"", "k", "M", "B", "T", "P", "E"};
        double x = v;
        int u = 0;
        while (Math.abs(x) >= 999.5 && u < units.length - 1) {
            x /= 1000;
            u++;
        }
        String s = Math.abs(x) >= 100 ? String.format(Locale.ROOT, "%.0f", x)
                : Math.abs(x) >= 10 ? String.format(Locale.ROOT, "%.1f", x) : String.format(Locale.ROOT, "%.2f", x);
        if (u == 0 && x == Math.rint(x)) {
            s = String.format(Locale.ROOT, "%.0f", x); // a small whole number stays whole: 7, not 7.00
        } else if (u > 0) {
            s = s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
        }
        return s + units[u];
    }

    /** FLOPs with three significant digits: 3.0e+12 -> 3.00e12. */
    public static String sci(double v) {
        return String.format(Locale.ROOT, "%.2e", v).replace("e+", "e").replace("e0", "e").replace("e-0", "e-");
    }

    /** A budget or learning rate as a label, at most two significant digits: 3.0e12 -> 3e12, 1.5e11 -> 1.5e11. */
    public static String shortSci(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v); // NaN, Infinity: no exponent to split off
        }
        String s = String.format(Locale.ROOT, "%.2g", v);
        if (!s.contains("e")) {
            s = String.format(Locale.ROOT, "%.1e", v);
        }
        String[] parts = s.split("e");
        String mantissa = parts[0].contains(".") ? parts[0].replaceAll("0+$", "").replaceAll("\\.$", "") : parts[0];
        int exp = Integer.parseInt(parts[1]);
        return mantissa + "e" + exp;
    }

    /** Seconds as 42s, 3m05s or 2h07m; "-" when not finite. */
    public static String duration(double seconds) {
        if (!Double.isFinite(seconds)) {
            return "-";
        }
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }

    /**
     * A fitted or forecast quantity: four significant digits without trailing zeros (0.001000 reads
     * as 0.001, 1.000e22 as 1e22), "-" for NaN. The cells of the fit, forecast and report tables.
     */
    public static String sig4(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        double a = Math.abs(v);
        String s = String.format(Locale.ROOT, "%.4g", v);
        String exponent = "";
        int e = s.indexOf('e');
        if (e >= 0) {
            exponent = "e" + Integer.parseInt(s.substring(e + 1).replace("+", ""));
            s = s.substring(0, e);
        }
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return a == 0 ? "0" : s + exponent;
    }

    /** An interval [low, high] in {@link #sig4}; "-" for none. */
    public static String interval(double[] ci) {
        return ci == null ? "-" : "[" + sig4(ci[0]) + ", " + sig4(ci[1]) + "]";
    }

    /**
     * A config value as written: a whole number without ".0" (2, not 2.0), anything else as Java
     * writes a double (0.25, 1.0E15 from 10^15 up).
     */
    public static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** A whole number as a whole number, anything else with four significant digits (%.4g: 64.50). */
    public static String plainOr4g(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }

    /** {@code digits} decimals (%.Nf); "-" for NaN or an infinity. */
    public static String fixed(double v, int digits) {
        return !Double.isFinite(v) ? "-" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    /** {@code digits} decimals (%.Nf, NaN as NaN); empty when there is no value. */
    public static String fixedOrBlank(Double v, int digits) {
        return v == null ? "" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    /** A fraction as a whole percentage: 0.95 -> 95%. */
    public static String percent(double fraction) {
        return Math.round(fraction * 100) + "%";
    }

    /** A CSV cell: six significant digits (%.6g); empty when not finite. */
    public static String csv(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }
}
