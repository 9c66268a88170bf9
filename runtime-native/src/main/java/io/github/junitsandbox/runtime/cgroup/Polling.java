package io.github.junitsandbox.runtime.cgroup;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Waiting for the kernel to finish something that has no event to wait on here (a cgroup becoming
 * empty, a freezer state settling): checks often at first, since it usually takes well under a
 * millisecond, then backs off.
 */
final class Polling {

    private Polling() {
    }

    /** True as soon as {@code condition} holds; false if it still does not after {@code timeout}. */
    static boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMicros = 50;
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            // parkNanos, not Thread.sleep: JDK 17 rounds any sleep up to a whole millisecond.
            LockSupport.parkNanos(pauseMicros * 1000);
            if (Thread.currentThread().isInterrupted()) {
                return condition.getAsBoolean();
            }
            pauseMicros = Math.min(pauseMicros * 2, 20_000);
        }
    }
}
