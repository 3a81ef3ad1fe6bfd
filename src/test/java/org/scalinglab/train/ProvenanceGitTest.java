package org.scalinglab.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provenance reads the user's checkout without writing to it: a plain 'git status' after a file's
 * modification time changed rewrites .git/index (taking .git/index.lock to do it); with
 * --no-optional-locks it leaves the index as it was.
 */
class ProvenanceGitTest {
    @TempDir
    Path repo;

    @Test
    void gitStatusLeavesTheIndexAlone() throws Exception {
        assumeTrue(git("init", "-q") == 0, "no git here");
        Files.writeString(repo.resolve("a.txt"), "a\n");
        assertEquals(0, git("add", "a.txt"));
        assertEquals(0, git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "a"));
        // same content, new mtime: the index's stat data is stale, so a plain status would refresh it
        Files.setLastModifiedTime(repo.resolve("a.txt"), FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        Path index = repo.resolve(".git/index");
        byte[] before = Files.readAllBytes(index);
        FileTime time = Files.getLastModifiedTime(index);
        assertEquals("", Provenance.git(repo, "status", "--porcelain", "--untracked-files=no"));
        assertArrayEquals(before, Files.readAllBytes(index), "git status rewrote .git/index");
        assertEquals(time, Files.getLastModifiedTime(index));
    }

    private int git(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", repo.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
