package org.scalinglab.io;

import java.util.Locale;

/** Short renderings of counts, FLOPs and durations for console tables and progress lines. */
public final class Units {
    private Units() {}

    /** 1234567 -> 1.23M; below 10,000 the plain number. */
    public static String si(double v) {
        if (Math.abs(v) < 10_000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        String[] units = {"k", "M", "G", "T", "P", "E"};
        double x = v;
        int u = -1;
        while (Math.abs(x) >= 1000 && u < units.length - 1) {
            x /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.3g%s", x, units[u]);
    }

    /** 3.0e+12 -> 3.00e12. */
    public static String sci(double v) {
        return String.format(Locale.ROOT, "%.2e", v).replace("e+", "e").replace("e0", "e").replace("e-0", "e-");
    }

    /** 3.0e12 -> 3e12, 1.5e11 -> 1.5e11: a budget as a label. */
    public static String shortSci(double v) {
        String s = String.format(Locale.ROOT, "%.2g", v);
        if (!s.contains("e")) {
            s = String.format(Locale.ROOT, "%.1e", v);
        }
        String[] parts = s.split("e");
        String mantissa = parts[0].contains(".") ? parts[0].replaceAll("0+$", "").replaceAll("\\.$", "") : parts[0];
        int exp = Integer.parseInt(parts[1]);
        return mantissa + "e" + exp;
    }

    /** Seconds as 42s, 3m05s or 2h07m. */
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
}
