package org.scalinglab.fit.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.fit.Planted;
import org.scalinglab.fit.ValidationData;
import org.scalinglab.io.Hashing;
import org.scalinglab.io.Json;

class RunTableReaderTest {
    @TempDir
    Path tmp;

    Path csv(String text) throws IOException {
        Path f = tmp.resolve("runs.csv");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void readsDefaultColumnsAndDerivesTheMissingOne() throws IOException {
        RunTable t = RunTableReader.readCsv(csv("N,D,loss\n1e6,2e7,3.5\n2e6,1e7,3.4\n"), ReadOptions.defaults());
        assertEquals(2, t.size());
        assertEquals(6 * 1e6 * 2e7, t.get(0).flops(), 1);
        assertEquals("derived: 6ND", t.provenance().columns().get("C"));
        assertEquals(Hashing.sha256(tmp.resolve("runs.csv")), t.provenance().sha256());

        RunTable c = RunTableReader.readCsv(csv("size,\"Training FLOP\",Loss\n1e6,1.2e14,3.5\n"),
                ReadOptions.defaults().withColumns("size", null, "Training FLOP", "loss"));
        assertEquals(2e7, c.get(0).tokens(), 1e-3, "D = C/(6N)");
        assertEquals(3.5, c.get(0).loss(), "loss matched case-insensitively");
    }

    /** The header sweep.RunsTable writes (a sweep's runs.csv), and three of its rows. */
    static final String OWN_RUNS_CSV = """
            id,label,status,budget,layers,d_model,heads,context,params_total,params_non_embedding,params_non_embedding_with_head,tokens,steps,flops_kaplan,flops_chinchilla,tokens_per_param,epochs,lr,seed,final_val_loss,final_val_loss_se,final_train_loss,best_val_loss,wall_seconds,tokens_per_s,device,branch_of,message,path
            d3cf9a8d8809,L2-d16-h2 C=1.5e11,completed,1.5E11,2,16,2,64,11712,6592,10688,1328640,2595,6.88766976E10,1.4999814144E11,113.4,0.024,0.01175,1234,2.0687,0.0075,2.08,2.0687,58.2,24546.4,cpu,,,runs/d3cf9a8d8809
            fb9ebb222a79,L3-d24-h3 C=1.5e11,completed,1.5E11,3,24,3,64,29400,21720,27864,580096,1133,9.1636604928E10,1.50026747904E11,19.7,0.0105,0.01175,1234,2.1201,0.0073,2.16,2.1201,57.0,12857.4,cpu,,,runs/fb9ebb222a79
            aaaaaaaaaaaa,L4-d32-h4 C=1.5e11,failed,1.5E11,4,32,4,64,60000,50000,58000,300000,600,1E11,1.5E11,5,0.005,0.01175,1234,,,,,1.0,1.0,cpu,,diverged,runs/aaaaaaaaaaaa
            """;

    @Test
    void aSweepsOwnRunsCsvReadsWithNoColumnFlags() throws IOException {
        RunTable t = RunTableReader.readCsv(csv(OWN_RUNS_CSV), ReadOptions.defaults());
        assertEquals(2, t.size(), "the failed run is skipped");
        assertEquals("d3cf9a8d8809", t.get(0).id());
        assertEquals(11712, t.get(0).params(), 0);
        assertEquals(1328640, t.get(0).tokens(), 0);
        assertEquals(1.4999814144E11, t.get(0).flops(), 1);
        assertEquals(2.0687, t.get(0).loss(), 0);
        assertEquals(1.5e11, t.get(0).budget(), 0);
        assertEquals("final_val_loss", t.provenance().columns().get("loss"));
        assertEquals(1, t.provenance().skipped().size());

        RunTable ne = RunTableReader.readCsv(csv(OWN_RUNS_CSV), ReadOptions.defaults()
                .withConventions(ParamConvention.NON_EMBEDDING, FlopConvention.KAPLAN));
        assertEquals(6592, ne.get(0).params(), 0, "N follows --param-convention");
        assertEquals(6.88766976E10, ne.get(0).flops(), 1, "C follows --flop-convention");

        ScalingLabException a4 = assertThrows(ScalingLabException.class, () -> RunTableReader.readCsv(
                csv(OWN_RUNS_CSV), ReadOptions.defaults().withConventions(ParamConvention.TOTAL,
                        FlopConvention.CHINCHILLA_A4)));
        assertTrue(a4.getMessage().contains("flops_chinchilla_a4"), a4.getMessage());
    }

    @Test
    void anUnknownColumnNamesItAndListsTheAvailableOnes() throws IOException {
        Path f = csv("params,tokens,loss\n1,2,3\n");
        ScalingLabException e = assertThrows(ScalingLabException.class, () -> RunTableReader.readCsv(f, ReadOptions.defaults()));
        assertEquals(ExitCode.DATA, e.exitCode());
        assertTrue(e.getMessage().contains("column 'N' not found") && e.getMessage().contains("params, tokens, loss"),
                e.getMessage());
        assertTrue(e.hint().contains("--n-col"));
        ScalingLabException d = assertThrows(ScalingLabException.class, () -> RunTableReader.readCsv(f,
                ReadOptions.defaults().withColumns("params", "toks", null, "loss")));
        assertTrue(d.getMessage().contains("'toks'"), d.getMessage());
    }

    @Test
    void emptyCellsAreSkippedAndBadNumbersAreErrors() throws IOException {
        RunTable t = RunTableReader.readCsv(csv("N,D,loss\n1e6,2e7,\n2e6,1e7,3.4\n"), ReadOptions.defaults());
        assertEquals(1, t.size());
        assertEquals(List.of(new InputProvenance.Skipped("row 2", "empty loss")), t.provenance().skipped());
        ScalingLabException e = assertThrows(ScalingLabException.class,
                () -> RunTableReader.readCsv(csv("N,D,loss\n1e6,x,3\n"), ReadOptions.defaults()));
        assertTrue(e.getMessage().contains("row 2, column 'D': 'x' is not a number"), e.getMessage());
        ScalingLabException neg = assertThrows(ScalingLabException.class,
                () -> RunTableReader.readCsv(csv("N,D,loss\n1e6,-5,3\n"), ReadOptions.defaults()));
        assertEquals(ExitCode.DATA, neg.exitCode());
    }

    @Test
    void whereFiltersRowsAndDropHighestRecordsWhatItDropped() throws IOException {
        Path f = csv("cfg,N,D,loss\na,1e6,1e7,3\nb,1e6,1e7,9\na,2e6,1e7,5\na,3e6,1e7,4\n");
        RunTable t = RunTableReader.readCsv(f, ReadOptions.defaults().withWhere(List.of("cfg=a"))).dropHighest(1);
        assertEquals(2, t.size());
        assertEquals(1, t.provenance().dropped().size());
        assertEquals(5, t.provenance().dropped().get(0).loss());
        assertEquals(2, t.provenance().pointsUsed());
        assertEquals(List.of("cfg=a"), t.provenance().filters());
    }

    @Test
    void theTableA4ConventionReadsItsCountAndDerivesItsCurve() throws IOException {
        Path dir = tmp.resolve("a4");
        Planted.writeSweep(dir, Planted.CHINCHILLA, Planted.budgets(1e18, 4, 2), 3, 1.5, 0, 1);
        // a run recorded before the count existed
        Path old = dir.resolve("runs/r000/result.json");
        ObjectNode j = (ObjectNode) Json.mapper().readTree(old.toFile());
        ((ObjectNode) j.get("flops")).remove("chinchilla_a4");
        Files.writeString(old, Json.write(j));
        RunTable t = RunTableReader.read(dir, ReadOptions.defaults().withConventions(ParamConvention.TOTAL,
                FlopConvention.parse("chinchilla-a4")));
        assertEquals(5, t.size());
        assertTrue(t.provenance().skipped().get(0).reason().contains("no flops.chinchilla_a4 (runs trained before"),
                t.provenance().skipped().get(0).reason());
        RunPoint p = t.get(0);
        assertEquals(Planted.A4_PER_PARAM * p.params() * p.tokens(), p.flops(), 1e-6 * p.flops());
        // metrics.csv has no flops_chinchilla_a4: tokens x flops_per_token.chinchilla_a4
        double[] tokens = p.curve().tokens();
        assertEquals(Planted.A4_PER_PARAM * p.params() * tokens[0], p.curve().flops()[0], 1e-6 * p.curve().flops()[0]);
    }

    @Test
    void theChinchillaFileGives240Points() {
        RunTable t = ValidationData.chinchilla240();
        assertEquals(240, t.size());
        assertEquals(5, t.provenance().dropped().size());
    }

    @Test
    void readsASweepFolderWithConventionsHashesAndCurves() throws IOException {
        Planted.writeSweep(tmp, Planted.CHINCHILLA, Planted.budgets(1e18, 4, 3), 5, 1.5, 0.002, 1);
        Planted.writeRun(tmp.resolve("runs").resolve("zz-diverged"),
                new RunPoint("x", 1e8, 1e9, 6e17, 9, 1e18, null), "diverged", Planted.CHINCHILLA);
        RunTable total = RunTableReader.read(tmp, ReadOptions.defaults());
        assertEquals(15, total.size());
        assertEquals(InputProvenance.KIND_RESULTS_DIR, total.provenance().kind());
        assertEquals(15, total.provenance().runs().size());
        InputProvenance.RunRef ref = total.provenance().runs().get(0);
        assertEquals("r000", ref.runId());
        assertEquals(Hashing.sha256(tmp.resolve("runs/r000/result.json")), ref.sha256());
        assertEquals(1, total.provenance().skipped().size());
        assertTrue(total.provenance().skipped().get(0).reason().startsWith("status diverged"));
        RunPoint p = total.get(0);
        assertEquals(1e18, p.budget());
        assertNotNull(p.curve());
        assertEquals(12, p.curve().size(), "only rows with a val_loss");

        RunTable nonEmb = RunTableReader.read(tmp, ReadOptions.defaults()
                .withConventions(ParamConvention.NON_EMBEDDING, FlopConvention.KAPLAN));
        assertEquals(Math.floor(0.9 * p.params()), nonEmb.get(0).params(), 1);
        assertEquals(0.9 * p.flops(), nonEmb.get(0).flops(), 1e-6 * p.flops());
        assertEquals(0.9 * p.curve().lastFlops(), nonEmb.get(0).curve().lastFlops(), 1e-5 * p.curve().lastFlops());
    }

    @Test
    void findsRunFoldersUpToThreeLevelsDown() throws IOException {
        RunPoint p = new RunPoint("x", 1e8, 1e9, 6e17, 3, Double.NaN, null);
        Planted.writeRun(tmp.resolve("a/b/c"), p, "completed", Planted.CHINCHILLA);
        Planted.writeRun(tmp.resolve("a/b/c/d/e"), p, "completed", Planted.CHINCHILLA);
        Files.delete(tmp.resolve("a/b/c/metrics.csv"));
        RunTable t = RunTableReader.read(tmp, ReadOptions.defaults());
        assertEquals(1, t.size());
        assertEquals("a/b/c", t.provenance().runs().get(0).path());
        assertNull(t.get(0).curve(), "no metrics.csv, no curve");
        assertTrue(Double.isNaN(t.get(0).budget()));
    }

    @Test
    void noCompletedRunsIsAFitErrorThatSaysWhy() throws IOException {
        Planted.writeRun(tmp.resolve("runs/a"), new RunPoint("x", 1e8, 1e9, 6e17, 3, 1e18, null), "failed",
                Planted.CHINCHILLA);
        ScalingLabException e = assertThrows(ScalingLabException.class, () -> RunTableReader.read(tmp, ReadOptions.defaults()));
        assertEquals(ExitCode.FIT, e.exitCode());
        assertTrue(e.getMessage().contains("no completed runs") && e.getMessage().contains("status failed"),
                e.getMessage());
        ScalingLabException empty = assertThrows(ScalingLabException.class,
                () -> RunTableReader.read(Files.createDirectory(tmp.resolve("empty")), ReadOptions.defaults()));
        assertTrue(empty.getMessage().startsWith("no runs in"));
        ScalingLabException missing = assertThrows(ScalingLabException.class,
                () -> RunTableReader.read(tmp.resolve("nope"), ReadOptions.defaults()));
        assertEquals(ExitCode.DATA, missing.exitCode());
    }

    /** docs/fitting.md: an empty cell is skipped; a cell that is not a finite number (NaN as much as inf) is an error. */
    @Test
    void aNanCellIsAnErrorLikeInf() throws IOException {
        for (String cell : List.of("NaN", "nan", "inf", "Infinity", "-inf")) {
            ScalingLabException e = assertThrows(ScalingLabException.class,
                    () -> RunTableReader.readCsv(csv("N,D,loss\n1e6,2e7," + cell + "\n2e6,1e7,3.4\n"),
                            ReadOptions.defaults()), cell);
            assertEquals(ExitCode.DATA, e.exitCode());
            assertTrue(e.getMessage().contains("row 2"), e.getMessage());
        }
    }

    @Test
    void aColumnNamedTwiceIsRefused() throws IOException {
        ScalingLabException e = assertThrows(ScalingLabException.class,
                () -> RunTableReader.readCsv(csv("N,D,loss,loss\n1e6,2e7,3.5,9\n"), ReadOptions.defaults()));
        assertEquals(ExitCode.DATA, e.exitCode());
        assertTrue(e.getMessage().contains("column 'loss' appears twice"), e.getMessage());
    }

    /** A sweep's runs.csv: its diverged, failed and pending rows are left out unless --where asks for them. */
    @Test
    void rowsOfARunsTableThatDidNotCompleteAreSkippedByDefault() throws IOException {
        Path f = csv("id,status,N,D,loss\na,completed,1e6,2e7,3.5\nb,diverged,2e6,1e7,5.5\nc,pending,3e6,1e7,\n");
        RunTable t = RunTableReader.readCsv(f, ReadOptions.defaults());
        assertEquals(1, t.size());
        assertEquals(List.of(new InputProvenance.Skipped("row 3", "status diverged"),
                new InputProvenance.Skipped("row 4", "status pending")), t.provenance().skipped());
        RunTable asked = RunTableReader.readCsv(f, ReadOptions.defaults().withWhere(List.of("status=diverged")));
        assertEquals(1, asked.size());
        assertEquals(5.5, asked.get(0).loss());
    }
}
