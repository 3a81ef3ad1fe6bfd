package org.scalinglab.train.runfolder;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.scalinglab.ScalingLabException;

/**
 * {@code metrics.csv}, appended a row at a time as training goes, so a crash loses at most the rows
 * since the last checkpoint; a resumed run truncates the file to the size its checkpoint recorded,
 * so no row is ever written twice.
 */
public final class MetricsLog implements AutoCloseable {
    private static final CsvMapper CSV = CsvMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
    private static final CsvSchema SCHEMA = schema();
    private static final ObjectWriter ROW = CSV.writer(SCHEMA.withoutHeader());
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

    private final Path file;
    private final FileChannel channel;

    /** The record's columns, then {@link MetricsRow#EXTRA_COLUMNS}. */
    private static CsvSchema schema() {
        CsvSchema.Builder b = CSV.schemaFor(MetricsRow.class).rebuild();
        for (String c : MetricsRow.EXTRA_COLUMNS) {
            b.addNumberColumn(c);
        }
        return b.build();
    }

    /** Opens the log; with {@code keepBytes} >= 0 the file is first cut to that size (resume). */
    public MetricsLog(Path file, long keepBytes) {
        this.file = file;
        try {
            boolean fresh = keepBytes < 0 || !Files.exists(file);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            if (fresh) {
                channel.truncate(0);
                write(header());
            } else {
                if (channel.size() < keepBytes) {
                    throw ScalingLabException.data(file + " is shorter than its checkpoint recorded ("
                            + channel.size() + " < " + keepBytes + " bytes)", "delete the run folder to start over");
                }
                String first;
                try (java.io.BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    first = java.util.Objects.requireNonNullElse(r.readLine(), "");
                }
                if (!(first + "\n").equals(header())) {
                    throw ScalingLabException.data(file + " has other columns than this version writes (an earlier "
                            + "metrics schema)", "finish the run with the scalinglab that started it, or delete its "
                            + "folder to train it again");
                }
                channel.truncate(keepBytes);
                channel.position(keepBytes);
            }
        } catch (IOException e) {
            throw ScalingLabException.output("cannot write " + file + ": " + e.getMessage(),
                    "check that the run folder is writable", e);
        }
    }

    private static String header() {
        StringBuilder sb = new StringBuilder();
        for (CsvSchema.Column c : SCHEMA) {
            sb.append(sb.length() == 0 ? "" : ",").append(c.getName());
        }
        return sb.append('\n').toString();
    }

    public void append(MetricsRow row) {
        try {
            Map<String, Object> cells = CSV.convertValue(row, MAP);
            row.extra().forEach((k, v) -> cells.put(k, v == null || !Double.isFinite(v) ? null : v));
            write(ROW.writeValueAsString(cells));
        } catch (IOException e) {
            throw ScalingLabException.output("cannot append to " + file + ": " + e.getMessage(), null, e);
        }
    }

    private void write(String text) throws IOException {
        channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** Forces the rows to disk and returns the file's size: what a checkpoint records. */
    public long sync() {
        try {
            channel.force(false);
            return channel.position();
        } catch (IOException e) {
            throw ScalingLabException.output("cannot sync " + file + ": " + e.getMessage(), null, e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // the rows were forced at the last checkpoint; nothing else to save
        }
    }
}
