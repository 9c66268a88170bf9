package io.github.junitsandbox;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Measures, for each test, the time from the first before-each callback to the test body: with this
 * extension registered before {@code @Sandbox}, that is the container's launch as the test sees it.
 */
final class LaunchClock implements BeforeEachCallback, BeforeTestExecutionCallback {

    static final List<Long> LAUNCH_NANOS = new CopyOnWriteArrayList<>();

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LaunchClock.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("start", System.nanoTime());
    }

    @Override
    public void beforeTestExecution(ExtensionContext context) {
        LAUNCH_NANOS.add(System.nanoTime() - context.getStore(NAMESPACE).get("start", Long.class));
    }
}
