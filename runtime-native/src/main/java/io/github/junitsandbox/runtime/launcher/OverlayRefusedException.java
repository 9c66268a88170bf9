package io.github.junitsandbox.runtime.launcher;

import io.github.junitsandbox.runtime.SandboxException;

/**
 * The kernel refused to mount the overlay of a directory rootfs (no overlayfs, a user namespace on a kernel
 * before 5.11, an upper or lower file system it does not take): a copy can stand in for it.
 */
public final class OverlayRefusedException extends SandboxException {
    private static final long serialVersionUID = 1L;

    OverlayRefusedException(String message) {
        super(message);
    }
}
