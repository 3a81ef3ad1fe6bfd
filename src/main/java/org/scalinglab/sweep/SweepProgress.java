package org.scalinglab.sweep;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.scalinglab.sweep.RunsTable.RunState;
import org.scalinglab.text.Numbers;
import org.scalinglab.train.runfolder.RunRecords.RunResult;

/**
 * What a sweep shows while it runs: on a terminal a progress bar over the estimated work with an
 * ETA, and a line per finished run above it; elsewhere (a log file, a pipe, a test) the same lines
 * plain, and a status line at most once a minute.
 */
public abstract class SweepProgress implements AutoCloseable {
    private static final int SCALE = 1000;

    protected int total;
    protected int done;
    protected double totalWork;
    protected double startWork;
    protected long startNanos;

    /** A bar on the console when there is one, else plain lines to {@code out}. */
    public static SweepProgress create(PrintWriter out) {
        return System.console() != null ? new Bar(System.out) : new Plain(out);
    }

    public static SweepProgress plain(PrintWriter out) {
        return new Plain(out);
    }

    /** The sweep starts: {@code done} of {@code total} runs finished, {@code workDone} of {@code totalWork}. */
    public void begin(int total, int done, double totalWork, double workDone) {
        this.total = total;
        this.done = done;
        this.totalWork = totalWork;
        this.startWork = workDone;
        this.startNanos = System.nanoTime();
    }

    /** Work done so far (finished runs and the finished part of running ones). */
    public abstract void update(double workDone);

    /** A run ended; {@code state} is what its folder says now. */
    public void finished(RunState state) {
        done++;
        line(String.format(Locale.ROOT, "[%d/%d] %-9s %-26s %s", done, total, state.status(), state.label(),
                describe(state)));
    }

    public abstract void line(String text);

    @Override
    public void close() {}

    static String describe(RunState s) {
        RunResult.Losses losses = s.result() == null ? null : s.result().losses();
        if (losses != null && losses.finalValLoss() != null && s.finished()) {
            return String.format(Locale.ROOT, "val loss %.4f  train loss %s  %s  %s", losses.finalValLoss(),
                    losses.finalTrainLoss() == null ? "-" : String.format(Locale.ROOT, "%.4f",
                            losses.finalTrainLoss()), Numbers.duration(s.result().speed().wallSeconds()),
                    s.result().completed() ? "" : "(" + s.message() + ")").stripTrailing();
        }
        String m = s.message();
        return m.isEmpty() ? "" : "(" + m + ")";
    }

    /** Seconds left by the rate of work since the start, NaN before any progress. */
    double eta(double workDone) {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        double progressed = workDone - startWork;
        return progressed <= 0 ? Double.NaN : elapsed * (totalWork - workDone) / progressed;
    }

    private static final class Plain extends SweepProgress {
        private final PrintWriter out;
        private long lastStatus = System.nanoTime();

        Plain(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void update(double workDone) {
            if (System.nanoTime() - lastStatus > 60e9) {
                lastStatus = System.nanoTime();
                line(String.format(Locale.ROOT, "... %d/%d runs finished, %.0f%% of the work, ETA %s", done, total,
                        totalWork > 0 ? 100 * workDone / totalWork : 0, Numbers.duration(eta(workDone))));
            }
        }

        @Override
        public synchronized void line(String text) {
            out.println(text);
            out.flush();
        }
    }

    private static final class Bar extends SweepProgress {
        private final PrintStream out;
        private ProgressBar bar;

        Bar(PrintStream out) {
            this.out = out;
        }

        @Override
        public void begin(int total, int done, double totalWork, double workDone) {
            super.begin(total, done, totalWork, workDone);
            lastWork = workDone;
            bar = new ProgressBarBuilder().setTaskName("sweep").setInitialMax(SCALE)
                    .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(out))
                    .setUpdateIntervalMillis(1000).hideEta()
                    .startsFrom(scaled(workDone), Duration.ZERO).build();
            bar.setExtraMessage(message(workDone));
        }

        private long scaled(double work) {
            return totalWork > 0 ? Math.min(SCALE, Math.round(SCALE * work / totalWork)) : 0;
        }

        private String message(double workDone) {
            return String.format(Locale.ROOT, "%d/%d runs, ETA %s", done, total, Numbers.duration(eta(workDone)));
        }

        private double lastWork;

        @Override
        public synchronized void update(double workDone) {
            lastWork = workDone;
            if (bar != null) {
                bar.stepTo(scaled(workDone));
                bar.setExtraMessage(message(workDone));
            }
        }

        @Override
        public synchronized void finished(RunState state) {
            super.finished(state);
            update(lastWork);
        }

        @Override
        public synchronized void line(String text) {
            out.print("\r\033[2K" + text + "\n"); // clear the bar's line; it redraws below at its next tick
            out.flush();
        }

        @Override
        public synchronized void close() {
            if (bar != null) {
                bar.close();
                bar = null;
            }
        }
    }
}
