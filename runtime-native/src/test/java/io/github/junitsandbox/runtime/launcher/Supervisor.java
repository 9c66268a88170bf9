package io.github.junitsandbox.runtime.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A running `sandbox-init run`: stdin is the lifeline, stdout the control lines, as the Java runtime uses them. */
final class Supervisor implements AutoCloseable {

    private final Process process;
    private final OutputStream lifeline;
    private final BufferedReader control;
    private final CompletableFuture<String> diagnostics;

    private Supervisor(Process process) {
        this.process = process;
        this.lifeline = process.getOutputStream();
        this.control = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.diagnostics = CompletableFuture.supplyAsync(() -> SandboxInit.readAll(process.getErrorStream()));
    }

    static Supervisor start(List<String> command) {
        try {
            return new Supervisor(new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next control line split on tabs, or an empty list at end of output. */
    List<String> nextLine() {
        try {
            String line = control.readLine();
            return line == null ? List.of() : List.of(line.split("\t", -1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the `ready` line; fails with whatever came instead. */
    Ready awaitReady() {
        List<String> line = nextLine();
        if (line.size() != 3 || !line.get(0).equals("ready")) {
            throw new AssertionError("expected a ready line but got " + line + ", launcher stderr: " + stderrAfterExit());
        }
        return new Ready(Long.parseLong(line.get(1)), Long.parseLong(line.get(2)));
    }

    /** kill(1) rather than Process.destroy(), which would also close the lifeline. */
    void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    void breakLifeline() {
        try {
            lifeline.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int awaitExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("supervisor " + process.pid() + " still running after 30 s");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    String stderrAfterExit() {
        awaitExit();
        return diagnostics.join();
    }

    /** Breaks the lifeline, which kills the container, and waits for the supervisor. */
    @Override
    public void close() {
        if (process.isAlive()) {
            breakLifeline();
            awaitExit();
        }
    }

    /** The `ready` line: host pids of PID 1 and of the subject (0 when idle). */
    record Ready(long init, long subject) {}
}
