package org.scalinglab.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An aligned console table: columns padded to their widest cell and two spaces apart, each line
 * indented and without trailing blanks. A column is right-aligned when {@link #right} says so, or,
 * unless {@link #left} says otherwise, when every cell below the header reads as a number (the first
 * column excepted: it names the rows). A {@code Double} cell is written in {@link Numbers#sig4}.
 */
public final class TextTable {
    private enum Align { AUTO, LEFT, RIGHT }

    private final List<String[]> rows = new ArrayList<>();
    private final String indent;
    private Align[] align = new Align[0];

    public TextTable(String indent, String... header) {
        this.indent = indent;
        rows.add(header);
    }

    public TextTable row(Object... cells) {
        String[] r = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            r[i] = cells[i] instanceof Double d ? Numbers.sig4(d) : String.valueOf(cells[i]);
        }
        rows.add(r);
        return this;
    }

    /** Left-aligns these columns whatever they hold. */
    public TextTable left(int... cols) {
        return set(Align.LEFT, cols);
    }

    /** Right-aligns these columns whatever they hold. */
    public TextTable right(int... cols) {
        return set(Align.RIGHT, cols);
    }

    private TextTable set(Align a, int... cols) {
        for (int c : cols) {
            if (c >= align.length) {
                int from = align.length;
                align = Arrays.copyOf(align, c + 1);
                Arrays.fill(align, from, align.length, Align.AUTO);
            }
            align[c] = a;
        }
        return this;
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
                line.append(rightAligned(i, numeric[i]) ? pad + cell : cell + pad);
                if (i < r.length - 1) {
                    line.append("  ");
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private boolean rightAligned(int col, boolean numeric) {
        Align a = col < align.length ? align[col] : Align.AUTO;
        return a == Align.RIGHT || a == Align.AUTO && numeric && col > 0;
    }
}
