package io.netstack.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a command as a child process and measures it: wall time (from this JVM's clock), CPU time
 * (user + system, from GNU time; the figure least disturbed by a busy machine) and peak resident
 * set size, from GNU time's {@code %M} when {@code /usr/bin/time} exists, else from the
 * child's {@code VmHWM} in /proc, sampled until it exits (can miss the last milliseconds).
 */
final class Proc {
    private static final Path GNU_TIME = Path.of("/usr/bin/time");

    record Result(int exit, double wallSeconds, double cpuSeconds, long maxRssKb, String out, String err) {}

    private Proc() {}

    static Result run(List<String> command, Map<String, String> env, Path dir) throws IOException, InterruptedException {
        Path timeOut = Files.createTempFile("bench-time", ".txt");
        Path out = Files.createTempFile("bench-out", ".txt"), err = Files.createTempFile("bench-err", ".txt");
        try {
            boolean gnu = Files.isExecutable(GNU_TIME);
            List<String> cmd = new ArrayList<>();
            if (gnu) cmd.addAll(List.of(GNU_TIME.toString(), "-f", "%M %U %S", "-o", timeOut.toString()));
            cmd.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            long t0 = System.nanoTime();
            Process p = pb.start();
            long hwm = 0;
            if (!gnu) {
                while (p.isAlive()) {
                    hwm = Math.max(hwm, vmHwm(p.toHandle()));
                    Thread.sleep(5);
                }
            }
            int exit = p.waitFor();
            double wall = (System.nanoTime() - t0) / 1e9;
            double cpu = Double.NaN;
            if (gnu) {
                List<String> lines = Files.readAllLines(timeOut);
                String[] last = (lines.isEmpty() ? "0 0 0" : lines.get(lines.size() - 1).trim()).split(" ");
                if (last.length == 3 && last[0].matches("\\d+")) {
                    hwm = Long.parseLong(last[0]);
                    cpu = Double.parseDouble(last[1]) + Double.parseDouble(last[2]);
                }
            }
            return new Result(exit, wall, cpu, hwm, Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(timeOut);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The largest VmHWM among the process and its descendants (the launcher script execs java). */
    private static long vmHwm(ProcessHandle h) {
        long max = readHwm(h.pid());
        for (ProcessHandle d : (Iterable<ProcessHandle>) h.descendants()::iterator) max = Math.max(max, readHwm(d.pid()));
        return max;
    }

    private static long readHwm(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | RuntimeException ignored) {
            // gone
        }
        return 0;
    }
}
