package org.scalinglab.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.TrainConfig.Precision;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("my-run.yaml"), yaml);
    }

    ScalingLabException fails(String yaml, String... sets) throws IOException {
        Path f = write(yaml);
        ScalingLabException e = assertThrows(ScalingLabException.class, () -> ConfigLoader.load(f, List.of(sets)));
        assertEquals(ExitCode.CONFIG, e.exitCode());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }

    @Test
    void defaultsFillEverythingAndTheNameIsTheFileStem() throws IOException {
        RunConfig c = ConfigLoader.load(write("train: {steps: 10}"), List.of());
        assertEquals("my-run", c.name());
        assertEquals(128, c.model().context());
        assertEquals(Precision.FP32, c.train().precision());
        assertEquals(0.1, c.train().schedule().minLrFraction());
        assertNull(c.train().tokens());
    }

    @Test
    void overridesAndScientificNotation() throws IOException {
        RunConfig c = ConfigLoader.load(write("train: {tokens: 2e6}"),
                List.of("model.layers=3", "train.optimizer.lr=6e-4", "device=gpu:1"));
        assertEquals(2e6, c.train().tokens());
        assertEquals(3, c.model().layers());
        assertEquals(6e-4, c.train().optimizer().lr());
        assertEquals("gpu:1", c.device());
    }

    @Test
    void unknownKeysAreNamedWithTheirPath() throws IOException {
        ScalingLabException e = fails("train: {steps: 10, batchsize: 4}");
        assertTrue(e.getMessage().contains("'train.batchsize'"), e.getMessage());
        assertTrue(e.hint().contains("batch_size"), e.hint());
        assertTrue(fails("train: {steps: 10}\nmodel: {layerz: 2}").getMessage().contains("model.layerz"));
    }

    @Test
    void wrongTypesAreNamedWithTheirPath() throws IOException {
        assertTrue(fails("train: {steps: 10, batch_size: many}").getMessage().contains("train.batch_size"));
        assertTrue(fails("train: {steps: 10, batch_size: 2.5}").getMessage().contains("train.batch_size"));
        ScalingLabException e = fails("train: {steps: 10, precision: fp64}");
        assertTrue(e.getMessage().contains("train.precision"), e.getMessage());
        assertTrue(e.hint().contains("fp16"), e.hint());
        assertTrue(fails("model: 3\ntrain: {steps: 1}").getMessage().contains("model"));
    }

    @Test
    void bfloat16IsRefusedWithTheReason() throws IOException {
        ScalingLabException e = fails("train: {steps: 10, precision: bf16}");
        assertTrue(e.getMessage().contains("bfloat16"), e.getMessage());
        assertTrue(e.hint().contains("fp16"), e.hint());
    }

    @Test
    void runLengthMustBeGivenExactlyOnce() throws IOException {
        assertTrue(fails("model: {layers: 2}").getMessage().contains("run length is not set"));
        assertTrue(fails("train: {steps: 10, tokens: 1e6}").getMessage().contains("set twice"));
    }

    @Test
    void rangesAreChecked() throws IOException {
        assertTrue(fails("train: {steps: 10}\nmodel: {d_model: 30, heads: 4}").getMessage().contains("model.heads"));
        assertTrue(fails("train: {steps: 10}\ndevice: tpu").getMessage().contains("device"));
        assertTrue(fails("train: {steps: 10}\ndata: {source: text}").getMessage().contains("data.path"));
        assertTrue(fails("train: {steps: 10, optimizer: {beta2: 1.5}}").getMessage().contains("beta2"));
        assertTrue(fails("train: {steps: 10}\ndata: {markov: {popularity_exponent: -1}}").getMessage()
                .contains("data.markov.popularity_exponent"));
        assertTrue(fails("train: {steps: 10}", "model.attention_block=-1").getMessage()
                .contains("model.attention_block"));
    }

    @Test
    void malformedYamlGivesTheLine() throws IOException {
        ScalingLabException e = fails("train:\n  steps: 10\n   bad: [");
        assertTrue(e.getMessage().contains("line"), e.getMessage());
    }

    @Test
    void missingFileIsAConfigError() {
        ScalingLabException e = assertThrows(ScalingLabException.class,
                () -> ConfigLoader.load(dir.resolve("nope.yaml"), List.of()));
        assertEquals(ExitCode.CONFIG, e.exitCode());
    }

    @Test
    void runIdIgnoresNameDeviceAndThreadsOnly() throws IOException {
        RunConfig a = ConfigLoader.load(write("train: {steps: 10}"), List.of());
        assertEquals(a.id(), ConfigLoader.load(write("train: {steps: 10}"), List.of("name=other", "device=cpu",
                "threads=1")).id());
        assertNotEquals(a.id(), ConfigLoader.load(write("train: {steps: 11}"), List.of()).id());
        assertEquals(256, a.model().attentionBlock());
        assertNotEquals(a.id(), ConfigLoader.load(write("train: {steps: 10}"), List.of("model.attention_block=0")).id(),
                "the attention block changes the rounding, so the run");
        assertEquals(12, a.id().length());
    }

    /** The audit's --set model.d_model=1000000 overflowed an int in ParameterInit (exit 1). */
    @Test
    void aModelTooBigToHoldIsAConfigErrorWithTheNumbers() throws IOException {
        ScalingLabException e = fails("train: {steps: 10}", "model.d_model=1000000");
        assertTrue(e.getMessage().contains("d_model 1000000 x 2 layers") && e.getMessage().contains("2.40e+13 parameters")
                && e.getMessage().contains("536,870,911"), e.getMessage());
        fails("train: {steps: 10}", "model.d_model=8000"); // 1.5e9: would fit an int, not one array of 2 GiB
        fails("train: {steps: 10}", "model.mlp_ratio=2000000000", "model.d_model=2");
        ConfigLoader.load(write("train: {steps: 10}"), List.of("model.d_model=4096", "model.layers=1"));
        ScalingLabException b = fails("train: {steps: 10}", "train.batch_size=2000000000", "train.grad_accum=2");
        assertTrue(b.getMessage().contains("train.batch_size"), b.getMessage());
    }

    @Test
    void aKeySetTwiceIsRefused() throws IOException {
        ScalingLabException e = fails("train:\n  steps: 10\n  steps: 20\n");
        assertTrue(e.getMessage().contains("key 'steps' appears twice in") && e.getMessage().contains("(line 3)"),
                e.getMessage());
        fails("train: {steps: 10}\ntrain: {steps: 20}\n");
        fails("train: {steps: 10}", "model={layers: 1, layers: 2}");
    }

    @Test
    void anOverrideWithoutEqualsIsABadArgument() throws IOException {
        Path f = write("train: {steps: 10}");
        ScalingLabException e = assertThrows(ScalingLabException.class,
                () -> ConfigLoader.load(f, List.of("model.layers")));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("--set 'model.layers' is not of the form key.path=value"), e.getMessage());
    }
}
