package org.scalinglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.scalinglab.config.ConfigLoader;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.config.TrainConfig;
import org.scalinglab.fit.input.ReadOptions;
import org.scalinglab.fit.law.FitSettings;
import org.scalinglab.io.Json;
import picocli.CommandLine;

/**
 * One parameter and one FLOP convention type, with one default, for train, plan, fit, validate, report and
 * run; and the spellings each place has always used.
 */
class ConventionDefaultsTest {
    @Test
    void runConfigsAndFitsDefaultToTheSameConventions() {
        TrainConfig t = ConfigLoader.resolve(Json.mapper().createObjectNode().set("train",
                Json.mapper().createObjectNode().put("steps", 1)), List.of()).train();
        assertEquals(ParamConvention.DEFAULT, t.paramsConvention());
        assertEquals(FlopConvention.DEFAULT, t.flopsConvention());
        assertEquals(ParamConvention.DEFAULT.option(), FitSettings.defaults().paramConvention());
        assertEquals(FlopConvention.DEFAULT.key(), FitSettings.defaults().flopConvention());
        assertEquals(ParamConvention.DEFAULT, ReadOptions.defaults().paramConvention());
        assertEquals(FlopConvention.DEFAULT, ReadOptions.defaults().flopConvention());
        assertEquals(ParamConvention.DEFAULT, ParamConvention.parse(ParamConvention.DEFAULT_OPTION));
        assertEquals(FlopConvention.DEFAULT, FlopConvention.parse(FlopConvention.DEFAULT_OPTION));
    }

    @Test
    void theCommandLineDefaultsToTheSameConventions() {
        FitCommand fit = new FitCommand();
        new CommandLine(fit).parseArgs("runs");
        assertEquals(ParamConvention.DEFAULT, fit.input.readOptions().paramConvention());
        assertEquals(FlopConvention.DEFAULT, fit.input.readOptions().flopConvention());
    }

    /** Run ids hash the resolved config's JSON, so its spelling of a convention must never move. */
    @Test
    void eachPlaceKeepsItsSpelling() {
        assertEquals("\"chinchilla_a4\"", Json.write(FlopConvention.CHINCHILLA_A4).strip());
        assertEquals("\"non_embedding_with_head\"", Json.write(ParamConvention.NON_EMBEDDING_WITH_HEAD).strip());
        TrainConfig t = ConfigLoader.resolve(Json.mapper().createObjectNode().set("train",
                Json.mapper().createObjectNode().put("steps", 1)), List.of("train.flops_convention=chinchilla_a4",
                "train.params_convention=non_embedding")).train();
        assertEquals(FlopConvention.CHINCHILLA_A4, t.flopsConvention());
        assertEquals(ParamConvention.NON_EMBEDDING, t.paramsConvention());
        for (FlopConvention c : FlopConvention.values()) {
            assertEquals(c, new Converters.Flops().convert(c.option()));
            assertEquals(c, new Converters.Flops().convert(c.key()));
        }
        for (ParamConvention c : ParamConvention.values()) {
            assertEquals(c, new Converters.Params().convert(c.option()));
            assertEquals(c, new Converters.Params().convert(c.jsonKey()));
        }
        assertEquals("chinchilla-a4", FlopConvention.CHINCHILLA_A4.option());
        assertEquals("non-embedding", ParamConvention.NON_EMBEDDING.option());
        CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
                () -> new Converters.Flops().convert("a4"));
        assertTrue(e.getMessage().contains("expected kaplan, chinchilla or chinchilla-a4"), e.getMessage());
    }
}
