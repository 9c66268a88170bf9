package io.github.junitsandbox;

import io.github.junitsandbox.runtime.Container;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A container as a value of the {@link ExtensionContext.Store} of the test or class it belongs to,
 * so that JUnit closes it when that test or class is done, whatever the outcome. Both close
 * contracts are implemented because which one JUnit honours depends on its version and settings;
 * {@link Container#close()} is idempotent.
 */
@SuppressWarnings("deprecation") // CloseableResource: the only contract JUnit 5.13 honours when auto-closing is switched off
final class OwnedContainer implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    private final Container container;
    private volatile boolean handedOver;

    OwnedContainer(Container container) {
        this.container = container;
    }

    Container container() {
        return container;
    }

    /** Another owner (the run-wide store, for {@code keepOnFailure}) closes it from now on. */
    OwnedContainer handOver() {
        handedOver = true;
        return new OwnedContainer(container);
    }

    @Override
    public void close() {
        if (!handedOver) {
            container.close();
        }
    }
}
