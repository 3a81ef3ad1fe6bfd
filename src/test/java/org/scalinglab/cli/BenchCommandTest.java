package org.scalinglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.bench.BenchResult;

/** The table, the CSV and the ratios to the PyTorch reference (the measurements need a GPU). */
class BenchCommandTest {
    static final String TORCH = """
            size,params_nonemb,prec,compiled,sdpa,tokens_per_s,mfu,peak_gib,ms_per_step
            tiny,786432,fp32,False,False,2000000,0.176,0.93,7.93
            tiny,786432,fp16,False,False,1000000,0.008,0.82,11.78
            tiny,786432,bf16,True,True,3000000,0.017,0.39,5.41
            small,10616832,fp16,False,False,ERROR RuntimeError: out of memory
            """;

    static BenchResult row(String shape, String precision, double tps) {
        return new BenchResult(shape, precision, 1, tps, 10, 0.11, 0.1, 1.5, 8, 3, 4, 1, 5.5, 6e6, 30, null, List.of(), 0, 1);
    }

    @Test
    void ratiosUseTheSameMathRowAndTheBestRow(@TempDir Path dir) throws IOException {
        Path csv = Files.writeString(dir.resolve("torch.csv"), TORCH);
        Map<String, List<Map<String, String>>> torch = BenchCommand.readReference(csv);
        assertEquals(1e6, BenchCommand.torchTokens(torch, "tiny", "fp16", false));
        assertEquals(3e6, BenchCommand.torchTokens(torch, "tiny", "fp16", true));
        assertEquals(null, BenchCommand.torchTokens(torch, "small", "fp16", false), "an error row has no number");
        String table = BenchCommand.table(List.of(row("tiny", "fp16", 2e6)), torch);
        assertTrue(table.contains("2.00x"), table);
        assertTrue(table.contains("0.67x"), table);
        assertTrue(table.contains("11.0%"), "MFU is PaLM's: " + table);
        assertTrue(table.contains("PaLM appendix B"), "the table says how FLOPs are counted");
        BenchCommand.writeCsv(dir.resolve("bench.csv"), List.of(row("tiny", "fp16", 2e6)), torch);
        List<String> lines = Files.readAllLines(dir.resolve("bench.csv"));
        assertTrue(lines.get(0).startsWith("shape,precision,processes,tokens_per_s,tflops,mfu,mfu_kaplan,"), lines.get(0));
        assertTrue(lines.get(1).contains(",0.110000,0.100000,"), lines.get(1));
        assertTrue(lines.get(1).startsWith("tiny,fp16,1,2.00000e+06"), lines.get(1));
        assertTrue(lines.get(1).contains(",1.00000e+06,3.00000e+06,"), lines.get(1));
    }

    /** Rows as scripts/torch_reference_bench.py wrote them (torch 2.13.0+cpu, --steps 3 --warmup 1 --variants eager,sdpa). */
    static final String SCRIPT = """
            size,prec,compiled,sdpa,tokens_per_s,ms_per_step,tflops,mfu,peak_allocated_gib,peak_reserved_gib,final_loss,skipped_steps,steps,warmup,d_model,layers,heads,context,batch,flops_per_token,device,gpu,torch,error
            tiny,fp32,False,False,1097.4,14929.418,0.007,,1.342,,5.5672,0,3,1,128,4,4,256,64,6.52954e+06,cpu,,2.13.0+cpu,
            tiny,fp32,False,True,1844.0,8885.069,0.012,,1.342,,5.5672,0,3,1,128,4,4,256,64,6.52954e+06,cpu,,2.13.0+cpu,
            base,fp16,False,False,,,,,,,,,30,5,,,,,,,cuda,,2.13.0,CUDA out of memory
            """;

    @Test
    void theProjectsReferenceScriptWritesWhatBenchReads(@TempDir Path dir) throws IOException {
        String script = Files.readString(Path.of("scripts/torch_reference_bench.py"));
        assertTrue(script.contains("COLUMNS = [\"size\", \"prec\", \"compiled\", \"sdpa\", \"tokens_per_s\","),
                "the script's CSV starts with the columns readReference needs");
        assertTrue(script.contains("\"tiny\": (128, 4, 4, 256, 64)") && script.contains("\"small\": (384, 6, 6, 512, 64)")
                && script.contains("\"base\": (768, 12, 12, 1024, 32)"), "the script's shapes are BenchShape's");
        Map<String, List<Map<String, String>>> torch = BenchCommand.readReference(
                Files.writeString(dir.resolve("torch.csv"), SCRIPT));
        assertEquals(1097.4, BenchCommand.torchTokens(torch, "tiny", "fp32", false), "eager is the same math");
        assertEquals(1844.0, BenchCommand.torchTokens(torch, "tiny", "fp32", true), "sdpa counts as the best");
        assertEquals(null, BenchCommand.torchTokens(torch, "base", "fp16", false), "a failed row has no number");
    }

    @Test
    void aFailedRowSaysWhy() {
        BenchResult failed = new BenchResult("base", "tf32", 1, Double.NaN, Double.NaN, null, null, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 30, "exit 6: no GPU", List.of(), 0, 0);
        assertTrue(BenchCommand.table(List.of(failed), Map.of()).contains("FAILED: exit 6: no GPU"));
    }

    @Test
    void helpSaysHowFlopsAreCounted() {
        TrainCommandTest.Run r = TrainCommandTest.cli("bench", "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("PaLM's MFU") && r.out().contains("mfu_kaplan"), r.out());
        assertTrue(r.out().contains("scripts/torch_reference_bench.py"), "--reference names the script: " + r.out());
    }

    @Test
    void jsonPrintsBenchJsonWithASchema(@TempDir Path dir) throws IOException {
        TrainCommandTest.Run r = TrainCommandTest.cli("bench", "--device", "cpu", "--shapes", "tiny", "--steps", "2",
                "--warmup", "1", "--out", dir.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        com.fasterxml.jackson.databind.JsonNode j = org.scalinglab.io.Json.mapper().readTree(r.out());
        assertEquals("scalinglab.bench/1", j.get("schema").asText());
        assertEquals(1, j.get("rows").size());
        assertEquals(j, org.scalinglab.io.Json.readTree(dir.resolve("bench.json")), "stdout is bench.json");
    }

    @Test
    void aMalformedReferenceIsADataError(@TempDir Path dir) {
        TrainCommandTest.Run r = TrainCommandTest.cli("bench", "--reference", dir.resolve("missing.csv").toString(),
                "--shapes", "nosuch");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("unknown bench shape"), r.err());
    }
}
