package io.github.junitsandbox.runtime.os;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts the launcher's processes: through {@code posix_spawn} ({@link SpawnedProcess}) once JNA is loaded, through
 * {@link ProcessBuilder} until then. Loading JNA takes a fresh JVM a quarter of a second here, and the first runtime of a
 * JVM starts it in the background ({@link #loadInBackground()}), so that the first container does not wait for it: a
 * ProcessBuilder start costs a millisecond or two more (the JDK execs its jspawnhelper first), once or twice a JVM.
 */
public final class LauncherProcesses {

    private static final AtomicBoolean LOADING = new AtomicBoolean();
    private static volatile boolean spawnReady;

    private LauncherProcesses() {
    }

    /**
     * Loads JNA and the calls of {@link SpawnedProcess} and {@link LibC} in a daemon thread, once per JVM. Called at every
     * launch: after the first, a volatile read.
     */
    public static void loadInBackground() {
        if (LOADING.get() || !LOADING.compareAndSet(false, true)) {
            return;
        }
        Thread loader = new Thread(() -> {
            SpawnedProcess.load();
            LibC.strerror(0);
            spawnReady = true;
        }, "junit-sandbox-jna-loader");
        loader.setDaemon(true);
        loader.start();
    }

    /**
     * Starts {@code argv} with this JVM's environment, standard output a pipe.
     *
     * @param stdinPipe true: standard input is a pipe kept open until {@link Process#getOutputStream()} is closed; false: /dev/null
     * @param stderrFile where standard error goes (created or truncated), or null for a pipe
     */
    public static Process start(List<String> argv, boolean stdinPipe, Path stderrFile) throws IOException {
        if (spawnReady) {
            return SpawnedProcess.start(argv, stdinPipe, stderrFile);
        }
        return new ProcessBuilder(argv).redirectInput(stdinPipe ? Redirect.PIPE : Redirect.from(new File("/dev/null")))
                .redirectError(stderrFile == null ? Redirect.PIPE : Redirect.to(stderrFile.toFile())).start();
    }

    /** SIGKILL unless it has exited, then waits for it at most {@code boundMillis}; keeps an interrupt for later. */
    public static void killAndReap(Process process, long boundMillis) {
        if (process instanceof SpawnedProcess spawned) {
            spawned.killAndReap(boundMillis);
            return;
        }
        process.destroyForcibly();
        boolean interrupted = false;
        while (true) {
            try {
                process.waitFor(boundMillis, TimeUnit.MILLISECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
