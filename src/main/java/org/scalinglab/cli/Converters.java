package org.scalinglab.cli;

import java.util.function.Function;
import org.scalinglab.ScalingLabException;
import org.scalinglab.config.FlopConvention;
import org.scalinglab.config.ParamConvention;
import org.scalinglab.fit.approach.Approach;
import org.scalinglab.fit.approach.IsoFlopSettings;
import org.scalinglab.fit.run.HoldoutValidation;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Option values parsed by the types they name (the conventions, Approach, IsoFlopSettings,
 * HoldoutValidation) when picocli reads them, so that {@code call()} receives them typed and a bad value is
 * a usage error naming its option. The conventions take either spelling (chinchilla-a4 or chinchilla_a4)
 * through their own parse methods. Here rather than in config or fit, which have no picocli.
 */
final class Converters {
    private Converters() {}

    /** {@code --param-convention}. */
    static final class Params implements ITypeConverter<ParamConvention> {
        @Override
        public ParamConvention convert(String s) {
            return parsed(ParamConvention::parse, s);
        }
    }

    /** {@code --flop-convention}. */
    static final class Flops implements ITypeConverter<FlopConvention> {
        @Override
        public FlopConvention convert(String s) {
            return parsed(FlopConvention::parse, s);
        }
    }

    /** {@code --approach}: an option ({@code 3}) or a key ({@code approach3}). */
    static final class ApproachName implements ITypeConverter<Approach> {
        @Override
        public Approach convert(String s) {
            return parsed(Approach::parse, s);
        }
    }

    /** {@code --window}: approach 2's sizes, with the default curve (the profile option sets the curve). */
    static final class Window implements ITypeConverter<IsoFlopSettings> {
        @Override
        public IsoFlopSettings convert(String s) {
            if (s.trim().matches("[+-]?0+")) {
                // IsoFlopSettings spells 'all' as 0: a window of 0 sizes would silently mean every size
                throw new TypeConversionException("--window must be a number of sizes >= 3, 'all' or "
                        + "'band[<percent>]', got '" + s + "'");
            }
            return parsed(w -> IsoFlopSettings.parse(IsoFlopSettings.DEFAULT_CURVE, w), s);
        }
    }

    /** {@code --profile}: approach 2's curve through each budget's sizes. */
    static final class Profile implements ITypeConverter<IsoFlopSettings.Curve> {
        @Override
        public IsoFlopSettings.Curve convert(String s) {
            return parsed(c -> IsoFlopSettings.parse(c, "all").curve(), s);
        }
    }

    /** {@code --holdout}: {@code top-budget} or a fraction in (0, 1), as HoldoutValidation takes it. */
    static final class Holdout implements ITypeConverter<String> {
        @Override
        public String convert(String s) {
            return parsed(h -> {
                HoldoutValidation.parseHoldout(h);
                return h;
            }, s);
        }
    }

    /** A TypeConversionException, so that picocli prints the parse message after the option's name. */
    private static <T> T parsed(Function<String, T> parse, String s) {
        try {
            return parse.apply(s);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        } catch (ScalingLabException e) {
            throw new TypeConversionException(e.getMessage() + (e.hint() == null ? "" : "; " + e.hint()));
        }
    }
}
