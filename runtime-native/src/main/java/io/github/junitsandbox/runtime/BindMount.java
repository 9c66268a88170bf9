package io.github.junitsandbox.runtime;

import java.nio.file.Path;

/**
 * A host path made visible inside a container ({@code @Bind}).
 *
 * @param source an existing path on the host
 * @param target an absolute path inside the container
 * @param readOnly whether the container may write through it
 * @param keepsDevicesAndSetuid whether device nodes open and setuid bits count through it, as on the host; by default
 *     a bind is {@code nodev,nosuid}: a node or a setuid file there belongs to the host
 */
public record BindMount(Path source, String target, boolean readOnly, boolean keepsDevicesAndSetuid) {

    /** A bind mounted nodev,nosuid. */
    public BindMount(Path source, String target, boolean readOnly) {
        this(source, target, readOnly, false);
    }

    @Override
    public String toString() {
        return source + " -> " + target + (readOnly ? " (read-only" : " (read-write") + (keepsDevicesAndSetuid ? ", devices and setuid)" : ")");
    }
}
