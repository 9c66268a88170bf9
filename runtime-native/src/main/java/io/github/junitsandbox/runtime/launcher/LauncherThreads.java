package io.github.junitsandbox.runtime.launcher;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon threads that read launcher pipes and bound waits. Pooled: a launch costs no thread
 * start, and none of them keeps the JVM alive.
 */
final class LauncherThreads {

    /** Reads pipes until EOF; each task blocks on one stream. */
    static final ExecutorService READERS = Executors.newCachedThreadPool(named("junit-sandbox-reader"));

    /** Runs the watchdogs that kill a launcher that does not answer in time. */
    static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(named("junit-sandbox-watchdog"));

    private LauncherThreads() {
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
