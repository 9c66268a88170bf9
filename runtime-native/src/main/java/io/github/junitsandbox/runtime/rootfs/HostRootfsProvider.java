package io.github.junitsandbox.runtime.rootfs;

/** {@code rootfs = "host"}: a read-only view of the host's system directories on an empty tmpfs root. */
public final class HostRootfsProvider implements RootfsProvider {

    public static final HostRootfsProvider INSTANCE = new HostRootfsProvider();

    private static final Rootfs HOST_VIEW = new Rootfs.HostView();

    private HostRootfsProvider() {
    }

    @Override
    public Rootfs provide(RootfsContext context) {
        return HOST_VIEW;
    }

    @Override
    public String describe() {
        return "host";
    }

    @Override
    public String toString() {
        return describe();
    }
}
