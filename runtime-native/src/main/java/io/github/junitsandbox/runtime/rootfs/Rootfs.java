package io.github.junitsandbox.runtime.rootfs;

import java.nio.file.Path;

/** A root filesystem ready to be mounted: what a {@link RootfsProvider} hands to the launcher. */
public sealed interface Rootfs {

    /** An empty tmpfs root with read-only binds of the host's system directories. */
    record HostView() implements Rootfs {
    }

    /**
     * A directory on the host, used read-only underneath the container's throwaway layer.
     *
     * @param path an existing directory; never written to
     * @param defaults what the image says about how to run it (OCI config), or {@link ImageDefaults#none()}
     */
    record Directory(Path path, ImageDefaults defaults) implements Rootfs {
    }
}
