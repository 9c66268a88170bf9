package io.github.junitsandbox.runtime;

import java.util.Locale;

/** What takes a container's writes to its root filesystem, so that the source stays as it was. */
public enum RootLayer {
    /** An overlayfs whose upper layer is a tmpfs of the container's mount namespace. */
    OVERLAY,
    /** A private copy of the source on a tmpfs of the container's mount namespace, where the kernel refuses overlayfs. */
    COPY,
    /**
     * No layer: rootfs {@code host} (the host's directories bound read-only on a throwaway tmpfs), or a read-only
     * root that is the source directory itself, bound read-only (when it holds every mount point the container needs).
     */
    NONE;

    /** As reports and configuration say it: {@code overlay}, {@code copy}, {@code none}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
