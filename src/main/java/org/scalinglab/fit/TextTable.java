package org.scalinglab.fit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Columns padded to their widest cell; numbers right-aligned, text left-aligned. */
public final class TextTable {
    private final List<String[]> rows = new ArrayList<>();
    private final String indent;

    public TextTable(String indent, String... header) {
        this.indent = indent;
        rows.add(header);
    }

    public TextTable row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = cells[i] instanceof Double d ? num(d) : String.valueOf(cells[i]);
        }
        rows.add(r);
        return this;
    }

    public static String num(double v) {
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
        // 0.001000 reads as 0.001 and 1.000e22 as 1e22; the value keeps its 4 significant digits
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return a == 0 ? "0" : s + exponent;
    }

    public static String interval(double[] ci) {
        return ci == null ? "-" : "[" + num(ci[0]) + ", " + num(ci[1]) + "]";
    }

    @Override
    public String toString() {
        int cols = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] w = new int[cols];
        boolean[] numeric = new boolean[cols];
        Arrays.fill(numeric, true);
        for (int k = 0; k < rows.size(); k++) {
            String[] r = rows.get(k);
            for (int i = 0; i < r.length; i++) {
                w[i] = Math.max(w[i], r[i].length());
                if (k > 0 && !r[i].equals("-") && !r[i].matches("[-+0-9.eE\\[\\], ]+|true|false")) {
                    numeric[i] = false;
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < r.length; i++) {
                String cell = r[i];
                String pad = " ".repeat(w[i] - cell.length());
                line.append(numeric[i] && i > 0 ? pad + cell : cell + pad);
                if (i < r.length - 1) {
                    line.append("  ");
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
