package io.github.junitsandbox.runtime.rootfs;

import io.github.junitsandbox.runtime.InvalidSpecException;

/** The string form {@code host}. */
public final class HostRootfsScheme implements RootfsScheme {

    @Override
    public String scheme() {
        return "host";
    }

    @Override
    public String syntax() {
        return "host (read-only view of the host's system directories)";
    }

    @Override
    public RootfsProvider parse(String argument) {
        if (!argument.isEmpty()) {
            throw new InvalidSpecException("rootfs", "host:" + argument, "host takes no argument");
        }
        return HostRootfsProvider.INSTANCE;
    }
}
