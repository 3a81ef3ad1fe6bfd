package org.scalinglab.cli;

import java.util.function.Function;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.ParamConvention;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The conventions' command-line spellings, through their own parse methods so that either spelling
 * (chinchilla-a4 or chinchilla_a4) is taken. Here rather than in config, which has no picocli.
 */
final class ConventionConverters {
    private ConventionConverters() {}

    static final class Params implements ITypeConverter<ParamConvention> {
        @Override
        public ParamConvention convert(String s) {
            return parsed(ParamConvention::parse, s);
        }
    }

    static final class Flops implements ITypeConverter<FlopConvention> {
        @Override
        public FlopConvention convert(String s) {
            return parsed(FlopConvention::parse, s);
        }
    }

    /** A TypeConversionException, so that picocli prints the parse message after the option's name. */
    private static <T> T parsed(Function<String, T> parse, String s) {
        try {
            return parse.apply(s);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
