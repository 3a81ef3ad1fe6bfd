package org.scalinglab.fit;

import org.scalinglab.text.Numbers;

/**
 * Kept only for report/Figures, which still calls {@code TextTable.num} while it is being split; the
 * table is {@link org.scalinglab.text.TextTable} and the format {@link Numbers#sig4}. Delete this class
 * once Figures' parts call Numbers.
 */
public final class TextTable {
    private TextTable() {}

    /** {@link Numbers#sig4}. */
    public static String num(double v) {
        return Numbers.sig4(v);
    }
}
