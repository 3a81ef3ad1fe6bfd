package org.scalinglab.fit.input;

import java.util.List;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.ParamConvention;

/**
 * How to turn an input into a table of runs. For a CSV: the column names for N, D, C, loss and
 * (optionally) the IsoFLOP budget, and {@code column=value} row filters. For a results folder: the
 * parameter and FLOP conventions. {@code dExplicit}/{@code cExplicit} record whether the user named
 * the D and C columns, because only a default column may be absent (and then derived).
 */
public record ReadOptions(
        String nCol,
        String dCol,
        String cCol,
        String lossCol,
        String budgetCol,
        boolean dExplicit,
        boolean cExplicit,
        List<String> where,
        ParamConvention paramConvention,
        FlopConvention flopConvention) {

    public static ReadOptions defaults() {
        return new ReadOptions("N", "D", "C", "loss", null, false, false, List.of(),
                ParamConvention.DEFAULT, FlopConvention.DEFAULT);
    }

    public ReadOptions withColumns(String n, String d, String c, String loss) {
        return new ReadOptions(n, d == null ? "D" : d, c == null ? "C" : c, loss, budgetCol, d != null, c != null,
                where, paramConvention, flopConvention);
    }

    public ReadOptions withBudgetCol(String col) {
        return new ReadOptions(nCol, dCol, cCol, lossCol, col, dExplicit, cExplicit, where, paramConvention,
                flopConvention);
    }

    public ReadOptions withWhere(List<String> filters) {
        return new ReadOptions(nCol, dCol, cCol, lossCol, budgetCol, dExplicit, cExplicit, List.copyOf(filters),
                paramConvention, flopConvention);
    }

    public ReadOptions withConventions(ParamConvention p, FlopConvention f) {
        return new ReadOptions(nCol, dCol, cCol, lossCol, budgetCol, dExplicit, cExplicit, where, p, f);
    }
}
