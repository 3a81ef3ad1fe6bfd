package org.scalinglab.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scalinglab.ScalingLabException;
import org.scalinglab.io.Hashing;
import org.scalinglab.io.Json;

/**
 * A folder of text files as one stream: the regular files under it (hidden files and folders skipped),
 * in sorted relative-path order, that are UTF-8 without NUL bytes, joined with a newline. The stream is
 * written once to a cache file named by a hash of the files' paths, sizes and modification times, and
 * memory-mapped from there, so a folder of hundreds of MB never sits in the heap.
 */
final class TextFolder {
    private static final String FORMAT = "scalinglab text cache 1";

    final Path cache;
    final int files;
    final int skipped;
    final long bytes;
    final boolean cacheHit;

    private TextFolder(Path cache, int files, int skipped, long bytes, boolean cacheHit) {
        this.cache = cache;
        this.files = files;
        this.skipped = skipped;
        this.bytes = bytes;
        this.cacheHit = cacheHit;
    }

    private record Entry(String relative, Path path, long size, long mtime) {}

    static TextFolder concatenate(Path folder, Path cacheDir) {
        List<Entry> entries = list(folder);
        MessageDigest key = Hashing.sha256();
        key.update((FORMAT + "\n" + folder + "\n").getBytes(StandardCharsets.UTF_8));
        for (Entry e : entries) {
            key.update((e.relative + "\t" + e.size + "\t" + e.mtime + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String name = "text-" + Hashing.hex(key.digest()).substring(0, 24);
        Path cache = cacheDir.resolve(name + ".bin");
        Path meta = cacheDir.resolve(name + ".json");
        TextFolder hit = readCache(cache, meta);
        if (hit != null) {
            return hit;
        }
        try {
            Files.createDirectories(cacheDir);
        } catch (IOException e) {
            throw ScalingLabException.data("cannot create the data cache folder " + cacheDir + ": " + e,
                    "set SCALINGLAB_CACHE to a writable folder");
        }
        TextFolder built = write(folder, entries, cache);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("folder", folder.toString());
        m.put("files", built.files);
        m.put("skipped", built.skipped);
        m.put("bytes", built.bytes);
        Json.writeAtomically(meta, m);
        return built;
    }

    private static List<Entry> list(Path folder) {
        List<Entry> entries = new ArrayList<>();
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(folder) && hidden(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && !hidden(file)) {
                        String rel = folder.relativize(file).toString().replace('\\', '/');
                        entries.add(new Entry(rel, file, attrs.size(), attrs.lastModifiedTime().toMillis()));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // unreadable: left out, like any other non-text file
                }
            });
        } catch (IOException e) {
            throw ScalingLabException.data("cannot list text folder " + folder + ": " + e.getMessage(), null);
        }
        entries.sort(Comparator.comparing(Entry::relative));
        return entries;
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static TextFolder readCache(Path cache, Path meta) {
        if (!Files.isRegularFile(cache) || !Files.isRegularFile(meta)) {
            return null;
        }
        try {
            JsonNode m = Json.mapper().readTree(meta.toFile());
            long bytes = m.path("bytes").asLong(-1);
            if (!FORMAT.equals(m.path("format").asText()) || bytes != Files.size(cache)) {
                return null;
            }
            return new TextFolder(cache, m.path("files").asInt(), m.path("skipped").asInt(), bytes, true);
        } catch (IOException e) {
            return null; // a damaged cache is rebuilt
        }
    }

    /** Streams each file into a temporary file, validating as it goes; a file found invalid is cut back out. */
    private static TextFolder write(Path folder, List<Entry> entries, Path cache) {
        Path tmp = null;
        int files = 0;
        int skipped = 0;
        byte[] buf = new byte[1 << 20];
        try {
            tmp = Files.createTempFile(cache.getParent(), "." + cache.getFileName(), ".tmp");
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                for (Entry e : entries) {
                    long mark = out.position();
                    if (mark > 0) {
                        out.write(ByteBuffer.wrap(new byte[] {'\n'}));
                    }
                    Utf8 utf8 = new Utf8();
                    boolean ok;
                    try (InputStream in = Files.newInputStream(e.path)) {
                        ok = true;
                        for (int n; ok && (n = in.read(buf)) > 0; ) {
                            ok = utf8.feed(ByteBuffer.wrap(buf, 0, n));
                            ByteBuffer w = ByteBuffer.wrap(buf, 0, n);
                            while (ok && w.hasRemaining()) {
                                out.write(w);
                            }
                        }
                        ok = ok && utf8.finish();
                    } catch (IOException unreadable) {
                        ok = false;
                    }
                    if (ok) {
                        files++;
                    } else {
                        skipped++;
                        out.truncate(mark);
                        out.position(mark);
                    }
                }
                out.force(true);
            }
            if (files == 0) {
                throw ScalingLabException.data("text folder " + folder + " holds no UTF-8 text files ("
                        + skipped + " other files skipped)", "point data.path at a folder of text files");
            }
            try {
                Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, cache, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            return new TextFolder(cache, files, skipped, Files.size(cache), false);
        } catch (IOException e) {
            throw ScalingLabException.data("cannot write the text cache " + cache + ": " + e,
                    "set SCALINGLAB_CACHE to a writable folder with free space");
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the error being thrown is the one worth reporting
                }
            }
        }
    }
}
