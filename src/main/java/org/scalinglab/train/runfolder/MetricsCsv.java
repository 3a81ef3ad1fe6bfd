package org.scalinglab.train.runfolder;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.scalinglab.io.Json;

/**
 * A metrics.csv as read: its rows, by column name, as the text of each cell (empty where a row has no
 * value, e.g. val_loss between evaluations). A file being appended to can end in half a row: the rows
 * before it are kept and {@code error} says why the reading stopped; each reader decides what that means.
 *
 * @param error null when the whole file was read
 */
public record MetricsCsv(Path file, List<Map<String, String>> rows, String error) {
    private static final CsvMapper CSV = new CsvMapper();

    /** Reads the file; null when there is none. */
    public static MetricsCsv read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        List<Map<String, String>> rows = new ArrayList<>();
        String error = null;
        try (MappingIterator<Map<String, String>> it = CSV.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
            while (it.hasNext()) {
                rows.add(it.next());
            }
        } catch (IOException | RuntimeException e) {
            error = Json.firstLine(e.getMessage());
        }
        return new MetricsCsv(file, List.copyOf(rows), error);
    }

    public int size() {
        return rows.size();
    }

    /** A column as numbers: NaN where a row has no value, or one that is not a number. */
    public double[] doubles(String column) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(rows.get(i).get(column));
        }
        return out;
    }

    /** One row's cell as a number: NaN where the row has no value, or one that is not a number. */
    public static double cell(Map<String, String> row, String column) {
        return number(row.get(column));
    }

    private static double number(String s) {
        if (s == null || s.isBlank()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
