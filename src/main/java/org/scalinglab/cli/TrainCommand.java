package org.scalinglab.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Placeholder until the command lands. */
@Command(name = "train", description = "(not yet implemented)")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        return 1;
    }
}
