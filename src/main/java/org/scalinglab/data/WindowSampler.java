package org.scalinglab.data;

import java.util.List;
import java.util.SplittableRandom;
import org.scalinglab.ScalingLabException;

/**
 * Draws training or validation windows from one side of the split. A window is context + 1
 * consecutive tokens inside one segment; every valid start of every segment is equally likely.
 */
public final class WindowSampler {
    private final String label;
    private final Segment[] segments;
    private final long tokens;
    /** Cumulative valid starts for the last context asked for (a trainer uses one). */
    private volatile Starts starts;

    private record Starts(int context, long[] before, long total) {}

    WindowSampler(String label, List<Segment> segments) {
        this.label = label;
        this.segments = segments.toArray(new Segment[0]);
        long n = 0;
        for (Segment s : this.segments) {
            n += s.length();
        }
        this.tokens = n;
    }

    /** Tokens on this side of the split. */
    public long tokens() {
        return tokens;
    }

    /** Number of distinct windows of {@code context + 1} tokens; an error if there are none. */
    public long validStarts(int context) {
        return starts(context).total;
    }

    /**
     * Fills rows x context inputs and the next-token targets (row-major, length rows*context each) with
     * windows of context+1 consecutive tokens drawn uniformly among all valid window starts of this split,
     * from a generator seeded by (seed, stream, index) alone -- so batch (step s, micro-batch m) is the
     * same whatever happened before: resume needs no sampler state.
     */
    public void fill(long seed, long stream, long index, int rows, int context, long[] inputs, long[] targets) {
        if (rows < 0 || (long) rows * context > inputs.length || (long) rows * context > targets.length) {
            throw new IllegalArgumentException(rows + " x " + context + " windows do not fit arrays of "
                    + inputs.length + " and " + targets.length);
        }
        Starts s = starts(context);
        SplittableRandom random = new SplittableRandom(mix(seed, stream, index));
        for (int r = 0; r < rows; r++) {
            long k = random.nextLong(s.total);
            int seg = segmentOf(s.before, k);
            Segment g = segments[seg];
            long start = g.start() + (k - s.before[seg]);
            int row = r * context;
            g.tokens().readLongs(start, inputs, row, context);
            System.arraycopy(inputs, row + 1, targets, row, context - 1);
            targets[row + context - 1] = g.tokens().token(start + context);
        }
    }

    /**
     * The fixed validation windows: {@code count} windows of {@code context + 1} tokens chosen evenly
     * among the non-overlapping tiles of every segment (tile j of a segment starts at j x context, so
     * each target token lies in at most one tile). They depend on the split alone, not on a seed: every
     * run on the same data is evaluated on the same tokens, and their per-window losses are independent
     * enough for a standard error. Fewer windows when the split has fewer tiles.
     */
    public Tiles tiles(int context, int count) {
        starts(context); // refuses a split too small for the context
        long total = 0;
        for (Segment g : segments) {
            total += tilesIn(g, context);
        }
        int n = (int) Math.min(count, total);
        int[] segment = new int[n];
        long[] start = new long[n];
        int seg = 0;
        long before = 0; // tiles in the segments before seg
        for (int i = 0; i < n; i++) {
            long k = n == total ? i : (long) ((i + 0.5) * total / n); // the middle of each equal share
            while (k >= before + tilesIn(segments[seg], context)) {
                before += tilesIn(segments[seg], context);
                seg++;
            }
            segment[i] = seg;
            start[i] = segments[seg].start() + (k - before) * context;
        }
        return new Tiles(context, segment, start);
    }

    private static long tilesIn(Segment g, int context) {
        return Math.max(0, (g.length() - 1) / context);
    }

    /** Windows of one context: window i starts at {@code start[i]} of segment {@code segment[i]}. */
    public record Tiles(int context, int[] segment, long[] start) {
        public int count() {
            return start.length;
        }
    }

    /** Fills rows of inputs and targets with windows {@code from .. from + rows - 1} of {@code tiles}. */
    public void fillAt(Tiles tiles, int from, int rows, long[] inputs, long[] targets) {
        int context = tiles.context();
        for (int r = 0; r < rows; r++) {
            Segment g = segments[tiles.segment()[from + r]];
            long start = tiles.start()[from + r];
            int row = r * context;
            g.tokens().readLongs(start, inputs, row, context);
            System.arraycopy(inputs, row + 1, targets, row, context - 1);
            targets[row + context - 1] = g.tokens().token(start + context);
        }
    }

    /** Largest segment i with before[i] <= k: empty segments share their successor's count and lose. */
    private static int segmentOf(long[] before, long k) {
        int lo = 0;
        int hi = before.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (before[mid] <= k) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    private Starts starts(int context) {
        Starts s = starts;
        if (s != null && s.context == context) {
            return s;
        }
        if (context < 1) {
            throw new IllegalArgumentException("context " + context);
        }
        long[] before = new long[segments.length];
        long total = 0;
        long longest = 0;
        for (int i = 0; i < segments.length; i++) {
            before[i] = total;
            total += Math.max(0, segments[i].length() - context);
            longest = Math.max(longest, segments[i].length());
        }
        if (total == 0) {
            throw ScalingLabException.data(label + " is too small for context " + context + ": its longest "
                    + "stretch of consecutive tokens has " + longest + " (a window needs " + (context + 1) + ")",
                    "use a shorter model.context, more data, or a larger data.split_block_tokens");
        }
        s = new Starts(context, before, total);
        starts = s;
        return s;
    }

    /** A 64-bit hash of the three numbers in order, each step a full avalanche (Stafford's mix 13). */
    static long mix(long seed, long stream, long index) {
        long h = mix64(seed ^ 0x9E3779B97F4A7C15L);
        h = mix64(h ^ mix64(stream + 0x632BE59BD9B4E019L));
        return mix64(h ^ mix64(index + 0x85157AF5DB2E3A8BL));
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
