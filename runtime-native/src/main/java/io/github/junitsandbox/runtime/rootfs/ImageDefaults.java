package io.github.junitsandbox.runtime.rootfs;

import java.util.List;

/**
 * What an image's configuration says about running it (OCI {@code config}: Env, WorkingDir, User,
 * Entrypoint, Cmd). Values given in the spec win over these.
 *
 * @param env {@code KEY=value} entries
 * @param workdir absolute, or {@code null} when the image says nothing
 * @param user {@code UID[:GID]}, or {@code null}
 * @param entrypoint possibly empty
 * @param cmd possibly empty
 */
public record ImageDefaults(List<String> env, String workdir, String user, List<String> entrypoint, List<String> cmd) {

    public ImageDefaults {
        env = List.copyOf(env);
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
    }

    public static ImageDefaults none() {
        return new ImageDefaults(List.of(), null, null, List.of(), List.of());
    }
}
