package org.scalinglab.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.scalinglab.text.Numbers;

/** A table of the page: an anchor id, a title, an optional note under it, a header and rows of text cells. */
final class Table {
    final String id;
    final String title;
    final String note;
    final List<String> header;
    final List<List<String>> rows = new ArrayList<>();

    Table(String id, String title, String note, String... header) {
        this.id = id;
        this.title = title;
        this.note = note;
        this.header = List.of(header);
    }

    Table row(Object... cells) {
        List<String> r = new ArrayList<>(cells.length);
        for (Object c : cells) {
            r.add(c == null ? "-" : c instanceof Double d ? Numbers.sig4(d) : String.valueOf(c));
        }
        rows.add(r);
        return this;
    }

    /** Whether a column holds numbers (right-aligned): every non-empty cell below the header looks like one. */
    boolean numeric(int col) {
        boolean any = false;
        for (List<String> r : rows) {
            String c = col < r.size() ? r.get(col) : "";
            if (c.isEmpty() || c.equals("-")) {
                continue;
            }
            if (!c.matches("[-+0-9.eE\\[\\], %x]+")) {
                return false;
            }
            any = true;
        }
        return any;
    }

    @Override
    public String toString() {
        return title + " " + header + " " + Arrays.toString(rows.toArray());
    }
}
