package org.scalinglab.fit.input;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.io.Hashing;
import org.scalinglab.io.Json;
import org.scalinglab.model.ShapeFamily;
import org.scalinglab.train.runfolder.MetricsCsv;
import org.scalinglab.train.runfolder.RunFolder;
import org.scalinglab.train.runfolder.RunFolders;
import org.scalinglab.train.runfolder.RunRecords.RunResult;
import org.scalinglab.train.runfolder.RunRecords;

/**
 * Reads runs from a CSV (columns mapped by {@link ReadOptions}) or from a results folder: a sweep
 * ({@code <dir>/runs/<id>/result.json}) or any folder holding run folders up to three levels down, found
 * by {@link RunFolders} and read by {@link RunFolder}. Only
 * completed runs are kept; the others are listed in the provenance with the reason.
 */
public final class RunTableReader {
    private RunTableReader() {}

    public static RunTable read(Path input, ReadOptions opts) {
        if (Files.isDirectory(input)) {
            return readResultsDir(input, opts);
        }
        if (Files.isRegularFile(input)) {
            return readCsv(input, opts);
        }
        throw ScalingLabException.data("no such file or folder: " + input,
                "give a sweep's results folder or a CSV of runs");
    }

    // ---------------------------------------------------------------- CSV

    public static RunTable readCsv(Path file, ReadOptions opts) {
        List<String> header;
        List<Map<String, String>> rows = new ArrayList<>();
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.TRIM_SPACES);
        try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
            while (it.hasNext()) {
                rows.add(it.next());
            }
            CsvSchema schema = (CsvSchema) it.getParserSchema();
            header = new ArrayList<>();
            if (schema != null) {
                schema.forEach(c -> header.add(c.getName()));
            }
        } catch (IOException | RuntimeException e) {
            throw ScalingLabException.data("cannot read " + file + " as CSV: " + firstLine(e.getMessage()),
                    "check that it is a comma-separated table with a header row");
        }
        if (header.isEmpty()) {
            throw ScalingLabException.data(file + " has no header row", "the first line must name the columns");
        }
        for (int i = 0; i < header.size(); i++) {
            if (header.subList(0, i).contains(header.get(i))) {
                // the reader keeps the last of two same-named columns: refuse rather than guess
                throw ScalingLabException.data("column '" + header.get(i) + "' appears twice in the header of " + file,
                        "rename or remove one of them");
            }
        }
        boolean ownTable = isRunsTable(header) && usesDefaultColumns(opts) && !header.contains(opts.nCol());
        if (ownTable) {
            opts = runsTableColumns(opts, header, file);
        }
        String nCol = column(header, opts.nCol(), true, "--n-col", file);
        String lossCol = column(header, opts.lossCol(), true, "--loss-col", file);
        String dCol = column(header, opts.dCol(), opts.dExplicit(), "--d-col", file);
        String cCol = column(header, opts.cCol(), opts.cExplicit(), "--c-col", file);
        String budgetCol = opts.budgetCol() == null ? null : column(header, opts.budgetCol(), true, "--budget-col", file);
        if (dCol == null && cCol == null) {
            throw ScalingLabException.data(file + " has neither a '" + opts.dCol() + "' (tokens) nor a '"
                    + opts.cCol() + "' (FLOPs) column; available: " + String.join(", ", header),
                    "name one with --d-col or --c-col");
        }
        List<String[]> filters = parseWhere(opts.where(), header, file);
        // a sweep's runs.csv: only completed runs are fitted, unless --where says otherwise
        List<String> statusCols = header.stream().filter(h -> h.equalsIgnoreCase("status")).toList();
        String statusCol = statusCols.size() == 1 && filters.stream().noneMatch(f -> f[0].equals(statusCols.get(0)))
                ? statusCols.get(0) : null;

        List<RunPoint> points = new ArrayList<>();
        List<InputProvenance.Skipped> skipped = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            Map<String, String> row = rows.get(r);
            if (!filters.stream().allMatch(f -> f[1].equals(row.get(f[0])))) {
                continue;
            }
            String rowId = ownTable ? row.getOrDefault("id", "").strip() : "";
            String id = rowId.isEmpty() ? "row " + (r + 2) : rowId; // else the line number, the header being line 1
            String status = statusCol == null ? "" : row.getOrDefault(statusCol, "").strip();
            if (!status.isEmpty() && !status.equalsIgnoreCase("completed")) {
                skipped.add(new InputProvenance.Skipped(id, "status " + status));
                continue;
            }
            double n = number(row, nCol, id, file);
            double loss = number(row, lossCol, id, file);
            double d = dCol == null ? Double.NaN : number(row, dCol, id, file);
            double c = cCol == null ? Double.NaN : number(row, cCol, id, file);
            double budget = budgetCol == null ? Double.NaN : number(row, budgetCol, id, file);
            if (dCol == null) {
                d = c / (6 * n);
            }
            if (cCol == null) {
                c = 6 * n * d;
            }
            String problem = Double.isNaN(n) ? "empty " + nCol
                    : Double.isNaN(loss) ? "empty " + lossCol
                    : Double.isNaN(d) ? "empty " + (dCol == null ? cCol : dCol)
                    : Double.isNaN(c) ? "empty " + cCol : null;
            if (problem != null) {
                skipped.add(new InputProvenance.Skipped(id, problem));
                continue;
            }
            if (!(n > 0 && d > 0 && c > 0 && loss > 0) || Double.isInfinite(n + d + c + loss)) {
                throw ScalingLabException.data(file + " " + id + ": N, D, C and loss must be positive and finite (N="
                        + n + ", D=" + d + ", C=" + c + ", loss=" + loss + ")", "fix or remove the row");
            }
            points.add(new RunPoint(id, n, d, c, loss, budgetCol == null ? Double.NaN : budget, null));
        }
        Map<String, String> cols = new LinkedHashMap<>();
        cols.put("N", nCol);
        cols.put("D", dCol == null ? "derived: C/(6N)" : dCol);
        cols.put("C", cCol == null ? "derived: 6ND" : cCol);
        cols.put("loss", lossCol);
        if (budgetCol != null) {
            cols.put("budget", budgetCol);
        }
        InputProvenance prov = new InputProvenance(file.toString(), InputProvenance.KIND_CSV, Hashing.sha256(file),
                cols, opts.where(), List.of(), skipped, List.of(), points.size(), null, null);
        // with both D and C given, C/D is each run's own FLOPs per token; otherwise the table only knows 6ND
        String p = opts.paramConvention().option();
        String f = opts.flopConvention().key();
        FlopsCurve curve = dCol != null && cCol != null && !points.isEmpty() ? FlopsCurve.fromRuns(points, p, f)
                : FlopsCurve.sixN(p, f);
        return new RunTable(points, prov, curve);
    }

    /** The columns every sweep's runs.csv has (sweep.RunsTable), which mark the tool's own table. */
    static final List<String> RUNS_TABLE_COLUMNS = List.of("id", "status", "budget", "params_total", "tokens",
            "flops_chinchilla", "final_val_loss");

    static boolean isRunsTable(List<String> header) {
        return header.containsAll(RUNS_TABLE_COLUMNS);
    }

    private static boolean usesDefaultColumns(ReadOptions o) {
        ReadOptions d = ReadOptions.defaults();
        return o.nCol().equals(d.nCol()) && o.lossCol().equals(d.lossCol()) && !o.dExplicit() && !o.cExplicit()
                && o.budgetCol() == null;
    }

    /**
     * A sweep's own runs.csv read with no column flags: N is params_<convention>, D tokens, C
     * flops_<convention>, the loss final_val_loss and the budget its budget column, as the results folder
     * would give them.
     */
    private static ReadOptions runsTableColumns(ReadOptions o, List<String> header, Path file) {
        String n = "params_" + o.paramConvention().jsonKey();
        String c = "flops_" + o.flopConvention().key();
        if (!header.contains(c)) {
            throw ScalingLabException.data(file + " is a sweep's runs table, which has no " + c + " column (--flop-convention "
                    + o.flopConvention().option() + ")", "fit the sweep's results folder instead: " + (file.getParent() == null
                            ? "." : file.getParent()));
        }
        return o.withColumns(n, "tokens", c, "final_val_loss").withBudgetCol("budget");
    }

    /** The header's spelling of {@code wanted} (exact, else the one case-insensitive match). */
    private static String column(List<String> header, String wanted, boolean required, String option, Path file) {
        if (header.contains(wanted)) {
            return wanted;
        }
        List<String> ci = header.stream().filter(h -> h.equalsIgnoreCase(wanted)).toList();
        if (ci.size() == 1) {
            return ci.get(0);
        }
        if (!required) {
            return null;
        }
        throw ScalingLabException.data("column '" + wanted + "' not found in " + file + "; available: "
                + String.join(", ", header), "map the column with " + option + "=<name>");
    }

    private static List<String[]> parseWhere(List<String> where, List<String> header, Path file) {
        List<String[]> out = new ArrayList<>();
        for (String w : where) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new ScalingLabException(ExitCode.USAGE, "--where '" + w + "' is not column=value",
                        "e.g. --where 'config=rw|tuned|short|const|standard|val'");
            }
            out.add(new String[] {column(header, w.substring(0, eq), true, "--where", file), w.substring(eq + 1)});
        }
        return out;
    }

    private static double number(Map<String, String> row, String col, String id, Path file) {
        String s = row.get(col);
        if (s == null || s.isBlank()) {
            return Double.NaN; // an empty cell: the row is skipped and listed
        }
        try {
            double v = Double.parseDouble(s.trim());
            if (Double.isNaN(v)) {
                throw new NumberFormatException(s); // NaN is an error like inf, not an empty cell
            }
            return v;
        } catch (NumberFormatException e) {
            throw ScalingLabException.data(file + " " + id + ", column '" + col + "': '" + s + "' is not a number",
                    "fix the cell or map another column");
        }
    }

    // ---------------------------------------------------------------- results folders

    public static RunTable readResultsDir(Path dir, ReadOptions opts) {
        List<RunFolder> results = RunFolders.under(dir).stream().filter(RunFolder::hasResult).toList();
        if (results.isEmpty()) {
            throw new ScalingLabException(ExitCode.FIT, "no runs in " + dir
                    + " (no result.json in it or up to three folders below)",
                    "point at a sweep's results folder, or give a CSV of runs");
        }
        String pKey = opts.paramConvention().jsonKey();
        String fKey = opts.flopConvention().key();
        List<RunPoint> points = new ArrayList<>();
        List<InputProvenance.RunRef> refs = new ArrayList<>();
        List<InputProvenance.Skipped> skipped = new ArrayList<>();
        Set<Double> rates = new HashSet<>();
        Set<Double> floors = new HashSet<>();
        for (RunFolder folder : results) {
            Path runDir = folder.dir();
            String rel = dir.relativize(runDir).toString();
            RunResult j = folder.result();
            String id = j.runId() != null ? j.runId() : runDir.getFileName() == null ? rel : folder.id();
            if (!j.completed()) {
                String msg = j.message();
                skipped.add(new InputProvenance.Skipped(id, "status " + j.status().key()
                        + (msg.isEmpty() ? "" : ": " + msg)));
                continue;
            }
            double n = positive(RunRecords.params(j.trained().params(), pKey));
            double d = positive((double) j.trained().tokens());
            double c = positive(j.compute().flops() == null ? null : j.compute().flops().get(opts.flopConvention()));
            double loss = positive(j.losses().finalValLoss());
            String problem = Double.isNaN(n) ? "no params." + pKey
                    : Double.isNaN(d) ? "no tokens"
                    : Double.isNaN(c) ? "no flops." + fKey + (opts.flopConvention() == FlopConvention.CHINCHILLA_A4
                            ? " (runs trained before scalinglab recorded that count lack it)" : "")
                    : Double.isNaN(loss) ? "no final_val_loss" : null;
            if (problem != null) {
                skipped.add(new InputProvenance.Skipped(id, "completed but " + problem + " in " + rel + "/result.json"));
                continue;
            }
            double budget = positive(j.compute().budget());
            TrainingCurve curve = readCurve(folder.metricsCsv(), fKey,
                    positive(RunRecords.perToken(j.compute().flopsPerToken(), opts.flopConvention())));
            points.add(new RunPoint(id, n, d, c, loss, budget, curve, j.losses().finalValLossSe()));
            rates.add(j.setup().entropyRate());
            floors.add(j.setup().lossFloor());
            refs.add(new InputProvenance.RunRef(id, rel.isEmpty() ? "." : rel, Hashing.sha256(folder.resultJson())));
        }
        if (points.isEmpty()) {
            String why = skipped.isEmpty() ? "" : " (first: " + skipped.get(0).id() + ", " + skipped.get(0).reason() + ")";
            throw new ScalingLabException(ExitCode.FIT, "no completed runs with params." + pKey + ", tokens, flops."
                    + fKey + " and final_val_loss in " + dir + ": " + skipped.size() + " skipped" + why,
                    "wait for runs to complete, or check --param-convention/--flop-convention");
        }
        Map<String, String> cols = new LinkedHashMap<>();
        cols.put("N", "params." + pKey);
        cols.put("D", "tokens");
        cols.put("C", "flops." + fKey);
        cols.put("loss", "final_val_loss");
        cols.put("budget", "budget");
        cols.put("curve", "metrics.csv: flops_" + fKey + " (else tokens x flops_per_token." + fKey + "), tokens, val_loss");
        InputProvenance prov = new InputProvenance(dir.toString(), InputProvenance.KIND_RESULTS_DIR, null, cols,
                List.of(), refs, skipped, List.of(), points.size(), onlyValue(rates), onlyValue(floors));
        return new RunTable(points, prov, curve(dir, points, opts));
    }

    /** The one value every run shares, or null when they differ or some run has none (real data). */
    private static Double onlyValue(Set<Double> values) {
        return values.size() == 1 ? values.iterator().next() : null;
    }

    /**
     * The sweep's shape family (sweep.json's {@code shape_family}), continued beyond its shapes; for a
     * folder of runs that is not a sweep, the runs' own FLOPs per token.
     */
    static FlopsCurve curve(Path dir, List<RunPoint> points, ReadOptions opts) {
        String p = opts.paramConvention().option();
        String f = opts.flopConvention().key();
        Path sweep = dir.resolve(RunFolders.SWEEP_JSON);
        if (Files.isRegularFile(sweep)) {
            JsonNode family = Json.readTree(sweep).path("shape_family");
            if (family.isObject()) {
                ShapeFamily s = Json.mapper().convertValue(family, ShapeFamily.class);
                return new FlopsCurve(p, f, "sweep.json shape family: " + s.describe(),
                        s.curve(opts.paramConvention(), opts.flopConvention()));
            }
        }
        return FlopsCurve.fromRuns(points, p, f);
    }

    private static double positive(Double v) {
        return v != null && v > 0 && Double.isFinite(v) ? v : Double.NaN;
    }

    /**
     * Rows with a val_loss, as loss against cumulative FLOPs; null when there is no metrics.csv. The FLOPs
     * are the {@code flops_<key>} column, or where metrics.csv has none (chinchilla_a4) tokens x
     * {@code perToken}, which is how the trainer computes every column.
     */
    static TrainingCurve readCurve(Path metrics, String flopKey, double perToken) {
        MetricsCsv csv = MetricsCsv.read(metrics);
        if (csv == null) {
            return null;
        }
        if (csv.error() != null) {
            throw ScalingLabException.data("cannot read " + metrics + ": " + csv.error(), null);
        }
        String flopsCol = "flops_" + flopKey;
        List<double[]> rows = new ArrayList<>();
        int line = 1;
        for (Map<String, String> row : csv.rows()) {
            line++;
            String v = row.get("val_loss");
            String t = row.get("tokens");
            String f = row.get(flopsCol);
            boolean derived = f == null && perToken > 0;
            if ((f == null && !derived) || t == null || v == null) {
                throw ScalingLabException.data(metrics + " lacks one of the columns val_loss, tokens, " + flopsCol,
                        "was it written by an older trainer?");
            }
            if (v.isBlank()) {
                continue;
            }
            try {
                double tokens = Double.parseDouble(t);
                double[] r = {derived ? tokens * perToken : Double.parseDouble(f), tokens, Double.parseDouble(v)};
                if (r[0] > 0 && Double.isFinite(r[2])) {
                    rows.add(r);
                }
            } catch (NumberFormatException e) {
                throw ScalingLabException.data(metrics + " line " + line + ": not a number", null);
            }
        }
        rows.sort((a, b) -> Double.compare(a[0], b[0]));
        // keep strictly increasing FLOPs so interpolation is well defined
        List<double[]> clean = new ArrayList<>();
        for (double[] r : rows) {
            if (clean.isEmpty() || r[0] > clean.get(clean.size() - 1)[0]) {
                clean.add(r);
            }
        }
        if (clean.isEmpty()) {
            return null;
        }
        double[] fl = new double[clean.size()];
        double[] tk = new double[clean.size()];
        double[] ls = new double[clean.size()];
        for (int i = 0; i < clean.size(); i++) {
            fl[i] = clean.get(i)[0];
            tk[i] = clean.get(i)[1];
            ls[i] = clean.get(i)[2];
        }
        return new TrainingCurve(fl, tk, ls);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
