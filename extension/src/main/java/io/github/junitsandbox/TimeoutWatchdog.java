package io.github.junitsandbox;

import io.github.junitsandbox.runtime.Container;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor.Invocation;
import org.opentest4j.AssertionFailedError;

/**
 * Enforces the {@code timeout} of sandboxed tests. When a test overruns, its container is closed
 * (which ends every exec and process the test may be blocked on) and the test thread interrupted;
 * the test then fails saying so. One scheduler thread for the whole run, shut down with it.
 */
@SuppressWarnings("deprecation") // CloseableResource: see OwnedContainer
final class TimeoutWatchdog implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "junit-sandbox-timeout");
        t.setDaemon(true);
        return t;
    });

    <T> T proceedWithin(Invocation<T> invocation, Duration timeout, String origin, Container container) throws Throwable {
        Thread testThread = Thread.currentThread();
        AtomicBoolean finished = new AtomicBoolean();
        ScheduledFuture<?> expiry = scheduler.schedule(() -> {
            if (finished.compareAndSet(false, true)) {
                container.close();
                testThread.interrupt();
                return true;
            }
            return false;
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        T result;
        try {
            result = invocation.proceed();
        } catch (Throwable t) {
            if (finishInTime(finished, expiry)) {
                throw t;
            }
            AssertionFailedError timedOut = timedOut(timeout, origin, container);
            timedOut.addSuppressed(t);
            throw timedOut;
        }
        if (!finishInTime(finished, expiry)) {
            throw timedOut(timeout, origin, container);
        }
        return result;
    }

    /** True if the test finished first; otherwise waits for the expiry to complete and clears its interrupt. */
    private static boolean finishInTime(AtomicBoolean finished, ScheduledFuture<?> expiry) throws InterruptedException {
        if (finished.compareAndSet(false, true)) {
            expiry.cancel(false);
            return true;
        }
        try {
            expiry.get();
        } catch (InterruptedException e) {
            // the expiry's own interrupt, delivered while waiting for it: expected
        } catch (ExecutionException e) {
            throw new IllegalStateException("closing the timed-out container failed", e.getCause());
        }
        Thread.interrupted();
        return false;
    }

    private static AssertionFailedError timedOut(Duration timeout, String origin, Container container) {
        return new AssertionFailedError("test timed out after " + render(timeout) + " (timeout from " + origin
                + "); its container " + container.id() + " was killed");
    }

    /** 30s, 1500ms: as the annotation writes it. */
    static String render(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
