package io.github.junitsandbox.runtime.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A container's directory on the host, {@code <stateDir>/junit-sandbox-<jvm pid>/<container id>},
 * holding the files the subject's and the launcher's output go to, and the per-JVM directory above it.
 *
 * @param jvmDirectory {@code <stateDir>/junit-sandbox-<jvm pid>}, shared by this JVM's containers
 * @param directory this container's
 */
public record ContainerStateDir(Path jvmDirectory, Path directory) {

    public static ContainerStateDir of(Path jvmDirectory, String containerId) {
        return new ContainerStateDir(jvmDirectory, jvmDirectory.resolve(containerId));
    }

    /**
     * The launcher's {@code --state}: an empty directory that each container mounts its new root on
     * inside its own mount namespace only, so that one serves all containers of the JVM and stays
     * empty on the host (removing a directory that served as a mount point costs the kernel a
     * detach in every namespace: once per JVM, not per container).
     */
    public Path stagingRoot() {
        return jvmDirectory.resolve("root");
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

    /** Creates the container's directory, and the per-JVM one and the staging root if need be. */
    public void create() throws IOException {
        Files.createDirectories(stagingRoot());
        Files.createDirectory(directory);
    }

    /** What the launcher removes if the JVM dies, in order: files, then directories from the innermost out. */
    public List<Path> cleanupPaths() {
        return List.of(stdout(), stderr(), launcherStderr(), directory, stagingRoot(), jvmDirectory);
    }

    /** Removes the container's files and directory; the per-JVM ones stay for the JVM's other containers. */
    public void deleteContainerFiles() throws IOException {
        for (Path path : List.of(stdout(), stderr(), launcherStderr(), directory)) {
            Files.deleteIfExists(path);
        }
    }

    /** Removes the per-JVM directory once it holds no container. */
    public void deleteJvmDirectory() throws IOException {
        Files.deleteIfExists(stagingRoot());
        Files.deleteIfExists(jvmDirectory);
    }
}
