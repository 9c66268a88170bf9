package io.github.junitsandbox.runtime;

import java.nio.file.Path;

/**
 * A host path made visible inside a container ({@code @Bind}).
 *
 * @param source an existing path on the host
 * @param target an absolute path inside the container
 * @param readOnly whether the container may write through it
 */
public record BindMount(Path source, String target, boolean readOnly) {

    @Override
    public String toString() {
        return source + " -> " + target + (readOnly ? " (read-only)" : " (read-write)");
    }
}
