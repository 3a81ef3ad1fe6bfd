package org.scalinglab.train.runfolder;

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
 * The run folders a results folder stands for: the one walker that fit, report and forecast use. A
 * sweep's folder (one with sweep.json) means the runs its plan lists, {@code runs/<id>/}, so that a
 * study's other stages (tune/, check/, each a sweep of its own) and folders left from an earlier config
 * are never read as design runs. Any other folder means every run folder ({@link RunFolder#isRun}) up
 * to three levels down, outside nested sweeps; a run folder means itself.
 */
public final class RunFolders {
    public static final String SWEEP_JSON = "sweep.json";
    public static final String RUNS = "runs";
    /** A study's stages besides its design, each a sweep folder of its own inside the study's. */
    public static final String TUNE = "tune";
    public static final String CHECK = "check";
    /** A run folder may sit up to 3 levels below the input, so its files up to 4. */
    private static final int MAX_DEPTH = 4;

    private RunFolders() {}

    /** The run folders, sorted by path. */
    public static List<RunFolder> under(Path dir) {
        Path sweep = dir.resolve(SWEEP_JSON);
        if (Files.isRegularFile(sweep)) {
            List<Path> out = new ArrayList<>();
            for (String id : plannedIds(sweep)) {
                Path run = dir.resolve(RUNS).resolve(id);
                if (Files.isDirectory(run)) {
                    out.add(run);
                }
            }
            return out.stream().sorted().map(RunFolder::new).toList();
        }
        try (Stream<Path> s = Files.walk(dir, MAX_DEPTH)) {
            // a result.json of any kind: one that is a folder or FIFO is reported (RunFolder.hasResult), not missed
            return s.filter(p -> p.getFileName() != null && (p.getFileName().toString().equals(RunFolder.RESULT_JSON)
                            || Files.isRegularFile(p) && p.getFileName().toString().equals(RunFolder.RUN_JSON)))
                    .map(Path::getParent)
                    .filter(run -> !insideNestedSweep(dir, run))
                    .distinct()
                    .sorted()
                    .map(RunFolder::new)
                    .toList();
        } catch (IOException e) {
            throw ScalingLabException.data("cannot list " + dir + ": " + e.getMessage(), null);
        }
    }

    /** The folders of {@code dir}'s study stages that exist ({@link #TUNE}, then {@link #CHECK}). */
    public static List<Path> stages(Path dir) {
        return java.util.stream.Stream.of(TUNE, CHECK).map(dir::resolve)
                .filter(s -> Files.isRegularFile(s.resolve(SWEEP_JSON))).toList();
    }

    /** The run ids a sweep.json lists, in plan order (a run's folder is {@code runs/<id>/} beside it). */
    public static List<String> plannedIds(Path sweepJson) {
        List<String> ids = new ArrayList<>();
        for (JsonNode r : Json.readTree(sweepJson).path("runs")) {
            ids.add(r.path("id").asText());
        }
        return ids;
    }

    private static boolean insideNestedSweep(Path root, Path run) {
        for (Path p = run; p != null && !p.equals(root); p = p.getParent()) {
            if (Files.isRegularFile(p.resolve(SWEEP_JSON))) {
                return true;
            }
        }
        return false;
    }
}
