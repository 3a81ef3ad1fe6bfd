package org.scalinglab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What every command shares: help, typo suggestions, one-line summaries, the build's version, completion. */
class CliTest {

    private static Map<String, CommandLine> commands() {
        return new CommandLine(new ScalingLab()).getSubcommands();
    }

    @Test
    void helpAndShortHelpExitZeroOnEveryCommand() {
        for (String name : commands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            for (String flag : new String[] {"--help", "-h"}) {
                TrainCommandTest.Run r = TrainCommandTest.cli(name, flag);
                assertEquals(0, r.code(), name + " " + flag + ": " + r.err());
                assertTrue(r.out().startsWith("Usage: scalinglab " + name), name + " " + flag + ": " + r.out());
            }
        }
    }

    @Test
    void typosGetDidYouMean() {
        TrainCommandTest.Run sub = TrainCommandTest.cli("fitt");
        assertEquals(2, sub.code());
        assertTrue(sub.err().contains("did you mean fit?"), sub.err());
        TrainCommandTest.Run opt = TrainCommandTest.cli("fit", "x.csv", "--aproach", "3");
        assertEquals(2, opt.code());
        assertTrue(opt.err().contains("did you mean --approach?"), opt.err());
    }

    @Test
    void everyCommandHasAOneLineSummaryInTheTopLevelHelp() {
        for (Map.Entry<String, CommandLine> e : commands().entrySet()) {
            if (e.getValue().getCommandSpec().usageMessage().hidden()) {
                continue;
            }
            String[] d = e.getValue().getCommandSpec().usageMessage().description();
            assertTrue(d.length > 0, e.getKey());
            String first = d[0];
            assertTrue(first.endsWith(".") && first.length() <= 90, e.getKey() + ": '" + first + "'");
        }
        String help = TrainCommandTest.cli("--help").out();
        assertTrue(help.contains("Check Java, DJL, libtorch and each device"), help);
    }

    @Test
    void versionComesFromTheBuild() {
        TrainCommandTest.Run r = TrainCommandTest.cli("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("scalinglab 0."), r.out());
        assertFalse(r.out().contains("dev"), r.out());
        assertTrue(r.out().contains("(commit "), r.out());
        assertEquals(r.out(), TrainCommandTest.cli("doctor", "--version").out());
    }

    @Test
    void shellCompletionScriptNamesTheSubcommands() {
        TrainCommandTest.Run r = TrainCommandTest.cli("generate-completion");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("scalinglab"), r.out());
        assertTrue(r.out().contains("forecast"), r.out());
    }

    @Test
    void outIsAFolderEverywhereAndAJsonPathNamesTheFileItself(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        FitCli.plantedFits(dir);
        String csv = dir.resolve("runs.csv").toString();
        java.nio.file.Path folder = dir.resolve("out");
        assertEquals(0, TrainCommandTest.cli("fit", csv, "--approach", "2", "--bootstrap", "5", "--out",
                folder.toString()).code());
        assertTrue(java.nio.file.Files.isRegularFile(folder.resolve("fits.json")));
        java.nio.file.Path file = dir.resolve("mine.json");
        assertEquals(0, TrainCommandTest.cli("fit", csv, "--approach", "2", "--bootstrap", "5", "--out",
                file.toString()).code());
        assertTrue(java.nio.file.Files.isRegularFile(file));
    }
}
