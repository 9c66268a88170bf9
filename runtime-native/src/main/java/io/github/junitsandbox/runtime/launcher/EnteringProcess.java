package io.github.junitsandbox.runtime.launcher;

import io.github.junitsandbox.runtime.ExecResult;
import io.github.junitsandbox.runtime.SandboxException;
import io.github.junitsandbox.runtime.os.LauncherProcesses;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs {@code sandbox-init exec} or {@code probe} to completion: stdin from /dev/null, stdout and
 * stderr read concurrently (so that neither pipe can fill up and stall the other), each kept up to
 * {@link BoundedOutput#LIMIT}, the whole bounded in time.
 */
final class EnteringProcess {

    /** Exit status of {@code exec}/{@code probe} when entering failed; its last stderr line says why. */
    static final int SETUP_FAILURE = 125;

    private static final String ERROR_PREFIX = "sandbox-init: error\t";

    private EnteringProcess() {
    }

    /**
     * @param what for messages: {@code exec [ls, /]}, {@code probe pids}
     * @throws SandboxException when entering failed (the launcher's step and errno), or it ran longer than {@code bound}
     */
    static ExecResult run(List<String> argv, Duration bound, String what) {
        long start = System.nanoTime();
        Process process;
        try {
            process = LauncherProcesses.start(argv, false, null);
        } catch (IOException e) {
            throw new SandboxException(what + ": cannot start " + argv.get(0) + ": " + e.getMessage(), e);
        }
        CompletableFuture<BoundedOutput> stderr = CompletableFuture.supplyAsync(() -> BoundedOutput.read(process.getErrorStream(), BoundedOutput.LIMIT),
                LauncherThreads.READERS);
        try {
            BoundedOutput stdout = drainUntilExit(process, bound, what);
            int status = process.waitFor();
            BoundedOutput errors = stderr.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (status == SETUP_FAILURE) {
                failIfSetupFailed(errors.text(), what);
            }
            return new ExecResult(status, stdout.text(), errors.text(), took, stdout.dropped(), errors.dropped());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SandboxException(what + ": interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new SandboxException(what + ": cannot read its standard error: " + e.getMessage(), e);
        } finally {
            LauncherProcesses.killAndReap(process, bound.toMillis());
        }
    }

    /** Reads stdout on the calling thread; a watchdog kills the process if it outlives {@code bound}, which ends the read. */
    private static BoundedOutput drainUntilExit(Process process, Duration bound, String what) {
        var watchdog = LauncherThreads.WATCHDOG.schedule(process::destroyForcibly, bound.toMillis(), TimeUnit.MILLISECONDS);
        BoundedOutput stdout = BoundedOutput.read(process.getInputStream(), BoundedOutput.LIMIT);
        if (!watchdog.cancel(false)) {
            throw new SandboxException(what + ": still running after " + bound + "; killed");
        }
        return stdout;
    }

    private static void failIfSetupFailed(String stderr, String what) {
        String[] lines = stderr.strip().split("\n");
        String last = lines[lines.length - 1];
        if (last.startsWith(ERROR_PREFIX)) {
            throw SetupFailureExplanation.exception(what + ": ", LauncherError.parse(last.substring(ERROR_PREFIX.length())));
        }
    }
}
