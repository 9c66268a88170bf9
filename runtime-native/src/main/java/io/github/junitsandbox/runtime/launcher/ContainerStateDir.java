package io.github.junitsandbox.runtime.launcher;

import java.nio.file.Path;
import java.util.List;

/**
 * A container's directory on the host, {@code <stateDir>/junit-sandbox-<jvm pid>/<container id>}:
 * the empty directory the launcher stages the new root on, and the files the subject's output goes to.
 *
 * @param jvmDirectory {@code <stateDir>/junit-sandbox-<jvm pid>}, shared by this JVM's containers
 * @param directory this container's
 */
public record ContainerStateDir(Path jvmDirectory, Path directory) {

    public static ContainerStateDir of(Path jvmDirectory, String containerId) {
        return new ContainerStateDir(jvmDirectory, jvmDirectory.resolve(containerId));
    }

    /** The launcher's {@code --state}: an empty directory, mounted on only inside the container's mount namespace. */
    public Path root() {
        return directory.resolve("root");
    }

    public Path stdout() {
        return directory.resolve("stdout");
    }

    public Path stderr() {
        return directory.resolve("stderr");
    }

    /** The launcher's own diagnostics (usage errors). */
    public Path launcherStderr() {
        return directory.resolve("launcher.stderr");
    }

    /** What the launcher removes if the JVM dies, in order: files, then directories from the innermost out. */
    public List<Path> cleanupPaths() {
        return List.of(stdout(), stderr(), launcherStderr(), root(), directory, jvmDirectory);
    }
}
