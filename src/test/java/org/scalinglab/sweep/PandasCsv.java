package org.scalinglab.sweep;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A CSV read as {@code pd.read_csv(path)} reads it: an RFC 4180 table with a header, each column's dtype
 * inferred as pandas infers it by default (int64 when every cell is an integer, float64 when every
 * non-empty cell is a number and the empty ones become NaN, bool for True/False, else object). The
 * check behind docs/file-formats.md's pandas snippet.
 */
record PandasCsv(List<String> columns, List<List<String>> rows) {

    static PandasCsv read(Path file) throws IOException {
        CsvMapper m = new CsvMapper();
        m.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<List<String>> all = new ArrayList<>();
        try (MappingIterator<String[]> it = m.readerFor(String[].class).readValues(file.toFile())) {
            while (it.hasNext()) {
                all.add(Arrays.asList(it.next()));
            }
        }
        List<String> header = all.get(0);
        List<List<String>> rows = all.subList(1, all.size());
        for (List<String> r : rows) {
            if (r.size() != header.size()) {
                throw new IllegalStateException(file + ": a row of " + r.size() + " cells under " + header.size()
                        + " columns (pandas: 'Error tokenizing data')");
            }
        }
        return new PandasCsv(header, rows);
    }

    String cell(int row, String column) {
        return rows.get(row).get(columns.indexOf(column));
    }

    String dtype(String column) {
        int c = columns.indexOf(column);
        if (c < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + columns);
        }
        boolean empty = false;
        boolean ints = true;
        boolean nums = true;
        boolean bools = true;
        for (List<String> r : rows) {
            String v = r.get(c);
            if (v.isEmpty()) {
                empty = true;
                continue;
            }
            ints &= v.matches("[+-]?\\d+");
            nums &= isNumber(v);
            bools &= v.equals("True") || v.equals("False");
        }
        if (ints && !empty) {
            return "int64";
        }
        if (nums) {
            return "float64";
        }
        return bools && !empty ? "bool" : "object";
    }

    private static boolean isNumber(String v) {
        if (v.equalsIgnoreCase("nan") || v.equalsIgnoreCase("inf") || v.equalsIgnoreCase("-inf")) {
            return true;
        }
        try {
            Double.parseDouble(v);
            return !v.endsWith("d") && !v.endsWith("f") && !v.endsWith("D") && !v.endsWith("F");
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
