package org.scalinglab.fit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.scalinglab.ScalingLabException;
import org.scalinglab.io.Json;

/**
 * The run folders a results folder stands for. A sweep's folder (one with sweep.json) means the runs its
 * plan lists, so that a study's other stages (tune/, check/, each a sweep of its own) and folders left
 * from an earlier config are never fitted as design runs. Any other folder means every run folder (one
 * with result.json or run.json) up to three levels down, outside nested sweeps; a run folder means itself.
 */
public final class RunDirs {
    /** A run folder may sit up to 3 levels below the input, so its files up to 4. */
    private static final int MAX_DEPTH = 4;

    private RunDirs() {}

    /** The run folders, sorted. */
    public static List<Path> of(Path dir) {
        Path sweep = dir.resolve("sweep.json");
        if (Files.isRegularFile(sweep)) {
            List<Path> out = new ArrayList<>();
            for (JsonNode r : Json.readTree(sweep).path("runs")) {
                Path run = dir.resolve("runs").resolve(r.path("id").asText());
                if (Files.isDirectory(run)) {
                    out.add(run);
                }
            }
            return out.stream().sorted().toList();
        }
        try (Stream<Path> s = Files.walk(dir, MAX_DEPTH)) {
            return s.filter(p -> Files.isRegularFile(p) && (p.getFileName().toString().equals("result.json")
                            || p.getFileName().toString().equals("run.json")))
                    .map(Path::getParent)
                    .filter(run -> !insideNestedSweep(dir, run))
                    .distinct()
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw ScalingLabException.data("cannot list " + dir + ": " + e.getMessage(), null);
        }
    }

    private static boolean insideNestedSweep(Path root, Path run) {
        for (Path p = run; p != null && !p.equals(root); p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("sweep.json"))) {
                return true;
            }
        }
        return false;
    }
}
