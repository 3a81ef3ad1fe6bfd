package org.scalinglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.scalinglab.config.ConfigLoader;
import org.scalinglab.config.TrainConfig;
import org.scalinglab.fit.FitSettings;
import org.scalinglab.fit.FlopConvention;
import org.scalinglab.fit.ParamConvention;
import org.scalinglab.fit.ReadOptions;
import org.scalinglab.io.Json;

/** One parameter and one FLOP convention by default, for train, plan, fit, validate, report and run. */
class ConventionDefaultsTest {
    @Test
    void runConfigsAndFitsDefaultToTheSameConventions() {
        TrainConfig t = ConfigLoader.resolve(Json.mapper().createObjectNode().set("train",
                Json.mapper().createObjectNode().put("steps", 1)), List.of()).train();
        assertEquals(ParamConvention.DEFAULT, ParamConvention.of(t.paramsConvention()));
        assertEquals(FlopConvention.DEFAULT, FlopConvention.of(t.flopsConvention()));
        assertEquals(ParamConvention.DEFAULT.option(), FitSettings.defaults().paramConvention());
        assertEquals(FlopConvention.DEFAULT.key(), FitSettings.defaults().flopConvention());
        assertEquals(ParamConvention.DEFAULT, ReadOptions.defaults().paramConvention());
        assertEquals(FlopConvention.DEFAULT, ReadOptions.defaults().flopConvention());
        assertEquals(ParamConvention.DEFAULT, ParamConvention.parse(ParamConvention.DEFAULT_OPTION));
        assertEquals(FlopConvention.DEFAULT, FlopConvention.parse(FlopConvention.DEFAULT_OPTION));
    }
}
