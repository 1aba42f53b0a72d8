package io.spinledger.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * CPU time of a process from {@code /proc/<pid>/stat}, in clock ticks (USER_HZ, 100 a second on Linux):
 * {@code utime + stime} of the process itself, and of its children (reaped ones through {@code cutime + cstime},
 * live descendants by their own counters).
 */
final class ProcCpu {
    /** Clock ticks per second of {@code /proc} counters. */
    static final double TICKS_PER_SECOND = 100.0;

    private ProcCpu() {
    }

    /** {@code utime + stime} of the process, ticks; empty when it is gone. */
    static OptionalLong self(long pid) {
        long[] f = fields(pid);
        return f == null ? OptionalLong.empty() : OptionalLong.of(f[0] + f[1]);
    }

    /**
     * CPU of everything the process started: its reaped children's {@code cutime + cstime} plus every live
     * descendant's {@code utime + stime + cutime + cstime}, ticks (0 when the process is gone).
     */
    static long children(long pid) {
        long[] f = fields(pid);
        if (f == null) {
            return 0;
        }
        long sum = f[2] + f[3];
        for (ProcessHandle d : ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(java.util.List.of())) {
            long[] g = fields(d.pid());
            if (g != null) {
                sum += g[0] + g[1] + g[2] + g[3];
            }
        }
        return sum;
    }

    /** utime, stime, cutime, cstime (fields 14-17), or null when the process is gone. */
    static long[] fields(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException e) {
            return null;
        }
        // the command name (field 2) may hold spaces and parentheses: fields 3 on follow the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // f[0] is field 3 (state): utime is field 14 -> f[11]
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
    }

    /** The 1-minute load average, from {@code /proc/loadavg} (NaN when unreadable). */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
