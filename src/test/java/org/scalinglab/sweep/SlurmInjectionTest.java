package org.scalinglab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scalinglab.ExitCode;
import org.scalinglab.ScalingLabException;
import org.scalinglab.io.Json;
import org.scalinglab.io.JvmLauncher;
import org.scalinglab.sweep.SweepConfig.SlurmConfig;

/**
 * Config values that reach the sbatch script cannot run anything: every field that is copied into it,
 * with each payload below, is either refused at the config boundary (exit 3, naming the key, not
 * echoing the value) or quoted so that bash runs the script with nothing extra and sbatch reads the
 * directive back as the one option written. The script runs for real, with a worker that is
 * {@code true}, in a temp folder that must hold no PWNED file afterwards.
 */
class SlurmInjectionTest {
    static final List<String> PAYLOADS = List.of(
            "debug\ntouch PWNED",
            "debug\rtouch PWNED",
            "debug\u0000touch PWNED",
            "debug\ttouch PWNED",
            "$(touch PWNED)",
            "`touch PWNED`",
            "a'; touch PWNED; '",
            "a\"; touch PWNED; \"",
            "a # b\\",
            "x;touch PWNED",
            "x && touch PWNED");

    /** The fields, as a YAML fragment with the payload (a JSON string is a YAML double-quoted scalar). */
    record Field(String key, String yaml) {}

    static final List<Field> FIELDS = List.of(
            new Field("slurm.partition", "slurm: {partition: %s}"),
            new Field("slurm.account", "slurm: {account: %s}"),
            new Field("slurm.mem", "slurm: {mem: %s}"),
            new Field("slurm.time_limit", "slurm: {time_limit: %s}"),
            new Field("slurm.extra[0]", "slurm: {extra: [%s]}"),
            new Field("name", "name: %s"),
            new Field("results_dir", "results_dir: %s"),
            new Field("executor.jvm_options[0]", "executor: {jvm_options: [%s]}"));

    @TempDir
    Path dir;

    @Test
    void noFieldRunsAnything() throws Exception {
        List<String> accepted = new ArrayList<>();
        for (Field f : FIELDS) {
            for (String payload : PAYLOADS) {
                String value = f.key().equals("slurm.extra[0]") ? "--comment=" + payload
                        : f.key().equals("results_dir") ? dir + "/r " + payload : payload;
                String outcome = tryField(f, value, payload);
                if (outcome != null) {
                    accepted.add(outcome);
                }
            }
        }
        // the payloads that need no refusal are quoted: results_dir, extra and jvm_options keep them
        assertTrue(accepted.stream().anyMatch(a -> a.startsWith("slurm.extra")), accepted.toString());
        assertTrue(accepted.stream().anyMatch(a -> a.startsWith("results_dir")), accepted.toString());
        assertTrue(accepted.stream().anyMatch(a -> a.startsWith("executor.jvm_options")), accepted.toString());
    }

    /** Null when refused as it should be; else the field and payload, after the script ran cleanly. */
    private String tryField(Field f, String value, String payload) throws Exception {
        String where = f.key() + " = " + Json.mapper().writeValueAsString(value);
        // the fixture with the field's top-level key replaced by the fragment that holds the payload
        String top = f.yaml().substring(0, f.yaml().indexOf(':') + 1);
        String yaml = SweepFixtures.grid(dir.resolve("results"), 640, "").lines().filter(l -> !l.startsWith(top))
                .reduce("", (a, b) -> a + b + "\n") + f.yaml().formatted(Json.mapper().writeValueAsString(value)) + "\n";
        Path file = Files.writeString(dir.resolve("injection.yaml"), yaml);
        SweepConfig c;
        try {
            c = SweepConfig.load(file, List.of());
        } catch (ScalingLabException e) {
            assertEquals(ExitCode.CONFIG, e.exitCode(), where + ": " + e.getMessage());
            assertTrue(e.getMessage().contains("'" + f.key() + "'"), where + ": " + e.getMessage());
            assertFalse(e.getMessage().contains("PWNED"), where + " echoes the value: " + e.getMessage());
            return null;
        }
        assertFalse(payload.chars().anyMatch(Character::isISOControl), where + " was accepted");
        Path tasks = dir.resolve("tasks.txt");
        Path runDir = Files.createDirectories(dir.resolve("run"));
        Files.writeString(tasks, runDir + "\n");
        JvmLauncher launcher = new JvmLauncher("true", c.executor().jvmOptions(), "/lib/it's a.jar");
        String script = SlurmExecutor.script(c.name(), c.slurm(), 1, tasks, c.folder().resolve("slurm"), launcher);
        List<String> directives = sbatchDirectives(script);
        if (f.key().startsWith("slurm.")) {
            String option = f.key().equals("slurm.extra[0]") ? value
                    : "--" + f.key().substring("slurm.".length()).replace("time_limit", "time") + "=" + value;
            assertTrue(directives.contains(option), where + ": sbatch would read " + directives);
        }
        if (f.key().equals("results_dir")) {
            assertTrue(directives.contains("--output=" + c.folder().resolve("slurm/%A_%a.out")),
                    where + ": sbatch would read " + directives);
        }
        assertEquals(0, bash(List.of("bash", "-n", "-c", script)), where + ": bash -n\n" + script);
        Path scriptFile = Files.writeString(dir.resolve("array.sbatch"), script);
        int code = bash(List.of("env", "SLURM_ARRAY_TASK_ID=0", "SLURM_CPUS_PER_TASK=1", "bash",
                scriptFile.toString()));
        assertEquals(0, code, where + ": the script failed\n" + script);
        try (Stream<Path> all = Files.walk(dir)) {
            assertFalse(all.anyMatch(p -> p.getFileName().toString().equals("PWNED")), where + " ran:\n" + script);
        }
        return where;
    }

    /** A control character that reaches script() directly (not from a config) is refused there too. */
    @Test
    void scriptRefusesControlCharactersItWasGiven() {
        JvmLauncher launcher = new JvmLauncher("java", List.of(), "a.jar");
        for (SlurmConfig s : List.of(
                new SlurmConfig("debug\ntouch PWNED", null, "30", 0, 1, null, 0, 10, List.of()),
                new SlurmConfig("a\u0085touch PWNED", "a\rb", "30", 0, 1, null, 0, 10, List.of()),
                new SlurmConfig(null, null, "30", 0, 1, "1G\ntouch PWNED", 0, 10, List.of()),
                new SlurmConfig(null, null, "30\ntouch PWNED", 0, 1, null, 0, 10, List.of()),
                new SlurmConfig(null, null, "30", 0, 1, null, 0, 10, List.of("--qos=a\ntouch PWNED")))) {
            ScalingLabException e = assertThrows(ScalingLabException.class,
                    () -> SlurmExecutor.script("x", s, 1, Path.of("/t"), Path.of("/l"), launcher), s.toString());
            assertEquals(ExitCode.CONFIG, e.exitCode());
            assertFalse(e.getMessage().contains("PWNED"), e.getMessage());
        }
        SlurmConfig ok = new SlurmConfig(null, null, "30", 0, 1, null, 0, 10, List.of());
        assertThrows(ScalingLabException.class,
                () -> SlurmExecutor.script("x", ok, 1, Path.of("/t\nx"), Path.of("/l"), launcher));
        assertThrows(ScalingLabException.class, () -> SlurmExecutor.script("x", ok, 1, Path.of("/t"), Path.of("/l"),
                new JvmLauncher("java", List.of("-Da=\ntouch PWNED"), "a.jar")));
    }

    /**
     * The arguments sbatch reads from the #SBATCH lines, parsed as Slurm's own _get_argument does
     * (src/sbatch/opt.c): a backslash escapes the next character, "..." and '...' group, an unquoted
     * # ends the line; the directives stop at the first line that is not a comment.
     */
    static List<String> sbatchDirectives(String script) {
        List<String> args = new ArrayList<>();
        for (String line : script.split("\n", -1)) {
            if (line.startsWith("#!")) {
                continue;
            }
            if (!line.startsWith("#")) {
                break;
            }
            if (!line.startsWith("#SBATCH")) {
                continue;
            }
            String rest = line.substring("#SBATCH".length()).stripLeading();
            StringBuilder arg = new StringBuilder();
            char quote = 0;
            boolean escaped = false;
            for (int i = 0; i < rest.length(); i++) {
                char ch = rest.charAt(i);
                if (escaped) {
                    escaped = false;
                } else if (ch == '\\') {
                    escaped = true;
                    continue;
                } else if (quote != 0) {
                    if (ch == quote) {
                        quote = 0;
                        continue;
                    }
                } else if (ch == '"' || ch == '\'') {
                    quote = ch;
                    continue;
                } else if (ch == '#' || Character.isWhitespace(ch)) {
                    break;
                }
                arg.append(ch);
            }
            args.add(arg.toString());
        }
        return args;
    }

    private int bash(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("the script did not end: " + out);
        }
        return p.exitValue();
    }
}
