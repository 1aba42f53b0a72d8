package io.spinledger.cli.bench;

import io.spinledger.cli.bench.PlayScoring.AiringResult;
import io.spinledger.cli.bench.PlayScoring.PlayResult;
import io.spinledger.cli.bench.PlayScoring.Score;
import io.spinledger.cli.bench.PlayScoring.Verdict;
import io.spinledger.cli.bench.PlaysBenchCommand.CaseResult;
import io.spinledger.cli.bench.PlaysBenchCommand.LiveResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The Markdown report of {@code bench plays}: a summary table per mode (air-checks, live), then every listed play
 * and every airing of every case, so a reader can see what each number is made of.
 */
final class PlaysReport {
    private final Path out;
    private final long seed;
    private final int minutes;
    private final PlayBroadcasts.Catalog catalog;
    private final String command;
    private final double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    private final Instant startedAt = Instant.now();
    private String runtime = "";
    private String runtimeLog = "";
    private double elapsedS;
    private List<CaseResult> cases = List.of();
    private List<LiveResult> live = List.of();
    private int liveMinutes;

    PlaysReport(Path out, long seed, int minutes, PlayBroadcasts.Catalog catalog, String command) {
        this.out = out;
        this.seed = seed;
        this.minutes = minutes;
        this.catalog = catalog;
        this.command = command;
    }

    void runtime(String how) {
        this.runtime = how;
    }

    void runtimeLog(String summary) {
        this.runtimeLog = summary;
    }

    void elapsed(double seconds) {
        this.elapsedS = seconds;
    }

    void cases(List<CaseResult> results) {
        this.cases = results;
    }

    void live(List<LiveResult> results, int minutesPerStation) {
        this.live = results;
        this.liveMinutes = minutesPerStation;
    }

    /** Writes the report; returns the summary table(s) for the terminal. */
    String write() {
        StringBuilder md = new StringBuilder("# Play log through the deployed runtime\n\n");
        md.append("Command: `").append(command).append("` (").append(fmt(elapsedS / 60, 1)).append(" min in all)\n\n");
        md.append("Run: ").append(startedAt).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores, load average ").append(fmt(loadAtStart, 2)).append(" at start, commit ")
                .append(commit()).append(", seed ").append(seed).append(".\n\n");
        md.append("Runtime: ").append(runtime).append(", default settings").append(runtimeLog.isEmpty() ? ""
                : "; its log: " + runtimeLog.replace("|", "\\|")).append(".\n\n");
        md.append("Catalog: ").append(catalog.registered().size()).append(" recordings registered over `POST /tracks` ")
                .append("(the clean originals); airing but never registered: ")
                .append(String.join(", ", catalog.unregistered())).append(".\n\n");
        md.append("""
                How to read it: an airing of a registered track is found when a listed play of that track overlaps at \
                least half of it; each airing goes to the play that covers most of it, and a play claims one airing at most (one \
                play over two airings of a restarted song finds one of them). Every listed play counts: \
                matched (claimed an airing), fragment (overlaps an airing of its track, less than half), duplicate \
                (a second play on an airing already claimed), false (over talk, jingles, another or an unregistered \
                track). Recall = found / airings of registered tracks; precision = matched / listed. Start and end \
                errors are |play - truth| of matched plays (median / p90, s); the truth of an airing is the span in \
                which its audio is audible (crossfades and fades included). Paid: the seconds of POSTED plays \
                (their durationMs), shared among the airings of their track they overlap; an airing is paid right \
                when that is within 2 s of its length (0 for airings under the rate card's 30 s minimum).

                """);
        StringBuilder terminal = new StringBuilder();
        if (!cases.isEmpty()) {
            md.append("## Air-checks (`POST /stations/{id}/airchecks`, then `GET /plays`)\n\n");
            md.append("About ").append(minutes).append(" min of air per case, all uploaded at once, one station each.\n\n");
            String table = casesTable();
            md.append(table).append('\n');
            terminal.append(table);
            for (CaseResult c : cases) {
                md.append("### ").append(c.broadcast().kind().label()).append(" (station `").append(c.stationId())
                        .append("`)\n\n").append(c.broadcast().description()).append(". Upload ")
                        .append(fmt(c.uploadS(), 1)).append(" s; the play log ")
                        .append(c.settled() ? "settled (final and unchanged) " + fmt(c.settledAfterS(), 0)
                                + " s after the upload" : "was NOT settled at the timeout (last change "
                                + fmt(c.settledAfterS(), 0) + " s after the upload)").append(".\n\n");
                details(md, c.score(), null);
            }
        }
        if (!live.isEmpty()) {
            md.append("## Live: ").append(live.size()).append(" Icecast stations at once\n\n");
            md.append("A real icecast2 on loopback, one mount per station fed by `ffmpeg -re` (MP3 128 kbit/s) with its ")
                    .append("own generated broadcast (").append(liveMinutes).append(" min of air after a 30 s lead-in ")
                    .append("of talk), stations registered with the stream URLs and captured by the scheduler. ")
                    .append("Truth instants: the feed's first sample sent (ffmpeg's progress) plus the offset. ")
                    .append("First seen: from an airing's start to the first listing (polled every 1 s) of a play ")
                    .append("of its track starting near it; final: from its end to its play being listed CLOSED or ")
                    .append("POSTED.\n\n");
            String table = liveTable();
            md.append(table).append('\n');
            terminal.append('\n').append(table);
            for (LiveResult l : live) {
                md.append("### ").append(l.stationId()).append("\n\n").append(l.broadcast().description())
                        .append(". Stream health at the end (after the feed stopped, so RECONNECTING or DOWN): `").append(l.health().toString().replace("`", "'"))
                        .append("`.\n\n");
                details(md, l.score(), l);
            }
        }
        try {
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            Files.writeString(out, md.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return terminal.toString();
    }

    private String casesTable() {
        StringBuilder t = new StringBuilder("| case | air (min) | airings | listed | matched / fragment / duplicate / "
                + "false | not final | recall | precision | start err median / p90 (s) | end err median / p90 (s) | "
                + "paid within 2 s | settled after (s) |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        List<Score> all = new ArrayList<>();
        for (CaseResult c : cases) {
            Score s = c.score();
            all.add(s);
            t.append(row(c.broadcast().kind().label(), c.broadcast().durationMs(), s))
                    .append(c.settled() ? fmt(c.settledAfterS(), 0) : "not settled").append(" |\n");
        }
        t.append(pooledRow(all, cases.stream().mapToLong(c -> c.broadcast().durationMs()).sum())).append(" |\n");
        return t.toString();
    }

    private String liveTable() {
        StringBuilder t = new StringBuilder("| station | air (min) | airings | listed | matched / fragment / duplicate / "
                + "false | not final | recall | precision | start err median / p90 (s) | end err median / p90 (s) | "
                + "paid within 2 s | first seen p50 / p95 (s) | final p50 / p95 (s) |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        List<Score> all = new ArrayList<>();
        List<Double> first = new ArrayList<>();
        List<Double> fin = new ArrayList<>();
        for (LiveResult l : live) {
            all.add(l.score());
            first.addAll(l.firstSeenS().values());
            fin.addAll(l.finalSeenS().values());
            t.append(row(l.stationId(), l.broadcast().durationMs() - l.broadcast().leadInMs(), l.score()))
                    .append(latency(List.copyOf(l.firstSeenS().values()))).append(" | ")
                    .append(latency(List.copyOf(l.finalSeenS().values())))
                    .append(l.settled() ? "" : " (not settled)").append(" |\n");
        }
        t.append(pooledRow(all, live.stream().mapToLong(l -> l.broadcast().durationMs() - l.broadcast().leadInMs())
                .sum())).append(latency(first)).append(" | ").append(latency(fin)).append(" |\n");
        return t.toString();
    }

    private static String row(String name, long airMs, Score s) {
        return "| " + name + " | " + fmt(airMs / 60_000.0, 1) + " | " + s.truthAirings() + " | " + s.listed() + " | "
                + s.matched() + " / " + s.fragments() + " / " + s.duplicates() + " / " + s.falsePlays() + " | "
                + s.notFinal() + " | " + fmt(s.recall(), 2) + " | " + fmt(s.precision(), 2) + " | "
                + fmt(s.startError().medianS(), 2) + " / " + fmt(s.startError().p90S(), 2) + " | "
                + fmt(s.endError().medianS(), 2) + " / " + fmt(s.endError().p90S(), 2) + " | "
                + s.paidRight() + "/" + s.truthAirings() + " (" + fmt(100 * s.paidRightShare(), 0) + " %) | ";
    }

    /** All scores pooled: counts summed, errors over every matched play. */
    private static String pooledRow(List<Score> all, long airMs) {
        int truth = all.stream().mapToInt(Score::truthAirings).sum();
        int found = all.stream().mapToInt(Score::found).sum();
        int listed = all.stream().mapToInt(Score::listed).sum();
        int matched = all.stream().mapToInt(Score::matched).sum();
        List<Long> se = new ArrayList<>();
        List<Long> ee = new ArrayList<>();
        for (Score s : all) {
            for (PlayResult p : s.plays()) {
                if (p.verdict() == Verdict.MATCHED) {
                    se.add(p.startErrorMs());
                    ee.add(p.endErrorMs());
                }
            }
        }
        PlayScoring.Stats st = PlayScoring.Stats.ofAbsMs(se);
        PlayScoring.Stats en = PlayScoring.Stats.ofAbsMs(ee);
        int paid = all.stream().mapToInt(Score::paidRight).sum();
        return "| **all** | " + fmt(airMs / 60_000.0, 1) + " | " + truth + " | " + listed + " | " + matched + " / "
                + all.stream().mapToInt(Score::fragments).sum() + " / " + all.stream().mapToInt(Score::duplicates).sum()
                + " / " + all.stream().mapToInt(Score::falsePlays).sum() + " | "
                + all.stream().mapToInt(Score::notFinal).sum() + " | "
                + fmt(truth == 0 ? Double.NaN : (double) found / truth, 2) + " | "
                + fmt(listed == 0 ? Double.NaN : (double) matched / listed, 2) + " | " + fmt(st.medianS(), 2) + " / "
                + fmt(st.p90S(), 2) + " | " + fmt(en.medianS(), 2) + " / " + fmt(en.p90S(), 2) + " | " + paid + "/"
                + truth + " (" + fmt(truth == 0 ? Double.NaN : 100.0 * paid / truth, 0) + " %) | ";
    }

    private static String latency(List<Double> v) {
        return fmt(PlayScoring.quantile(v, 0.5), 1) + " / " + fmt(PlayScoring.quantile(v, 0.95), 1)
                + " (n " + v.size() + ")";
    }

    /** Every listed play and every airing of one station; for a live one, each airing's latencies too. */
    private static void details(StringBuilder md, Score s, LiveResult live) {
        md.append("| play | track | start (s) | end (s) | s | status | verdict | airing | start err (s) | end err (s) "
                + "| note |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (PlayResult p : s.plays()) {
            boolean m = p.verdict() == Verdict.MATCHED;
            md.append("| `").append(p.play().playId()).append("` | ").append(p.play().track()).append(" | ")
                    .append(fmt(p.play().startMs() / 1000.0, 1)).append(" | ").append(fmt(p.play().endMs() / 1000.0, 1))
                    .append(" | ").append(fmt(p.play().durationMs() / 1000.0, 1)).append(" | ")
                    .append(p.play().status()).append(" | ").append(p.verdict().name().toLowerCase(Locale.ROOT))
                    .append(" | ").append(p.airingIds().stream().map(i -> "#" + i).collect(Collectors.joining(" ")))
                    .append(" | ").append(m ? signed(p.startErrorMs()) : "").append(" | ")
                    .append(m ? signed(p.endErrorMs()) : "").append(" | ").append(p.note()).append(" |\n");
        }
        md.append("\n| airing | track | aired (s) | what | play | paid (s) | expected (s) | paid right |"
                + (live == null ? "" : " first seen (s) | final (s) |") + "\n| --- | --- | --- | --- | --- | --- | --- | --- |"
                + (live == null ? "" : " --- | --- |") + "\n");
        for (AiringResult a : s.airings()) {
            md.append("| #").append(a.airing().id()).append(" | ").append(a.airing().track()).append(" | ")
                    .append(fmt(a.airing().startMs() / 1000.0, 1)).append(" - ")
                    .append(fmt(a.airing().endMs() / 1000.0, 1)).append(" | ").append(a.airing().change()).append(" | ")
                    .append(a.found() ? "`" + a.playId() + "`" : "**missed**").append(" | ")
                    .append(fmt(a.paidMs() / 1000.0, 1)).append(" | ").append(fmt(a.expectedPaidMs() / 1000.0, 1))
                    .append(" | ").append(a.paidRight() ? "yes" : "**no**").append(" |");
            if (live != null) {
                md.append(' ').append(fmt(live.firstSeenS().getOrDefault(a.airing().id(), Double.NaN), 1)).append(" | ")
                        .append(fmt(live.finalSeenS().getOrDefault(a.airing().id(), Double.NaN), 1)).append(" |");
            }
            md.append('\n');
        }
        if (s.paidForNothingMs() > 0) {
            md.append("\nPosted seconds over no airing of their track: ").append(fmt(s.paidForNothingMs() / 1000.0, 1))
                    .append(" s.\n");
        }
        md.append('\n');
    }

    private static String signed(long ms) {
        return String.format(Locale.ROOT, "%+.2f", ms / 1000.0);
    }

    static String fmt(double v, int digits) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static String commit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String c = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? "`" + c + "`" : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
