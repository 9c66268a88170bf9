package io.github.junitsandbox;

import io.github.junitsandbox.runtime.rootfs.Rootfs;
import io.github.junitsandbox.runtime.rootfs.RootfsContext;
import io.github.junitsandbox.runtime.rootfs.RootfsProvider;

/** A custom rootfs source as a user writes one: the host's view, under a name of its own. */
public class FixedRootfs implements RootfsProvider {

    @Override
    public Rootfs provide(RootfsContext context) {
        return new Rootfs.HostView();
    }

    @Override
    public String describe() {
        return "custom host view (" + FixedRootfs.class.getSimpleName() + ")";
    }
}
