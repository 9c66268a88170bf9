package io.github.junitsandbox.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.junitsandbox.runtime.os.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A JVM run by a real user that is not root launches containers in a user namespace. */
class RootlessTest {

    private static final String USER = System.getProperty("sandbox.rootless.user", "sandboxci");

    @Test
    void aNonRootJvmIsRootInsideItselfOutsideAndLimitsNeedADelegatedCgroup() throws Exception {
        assumeTrue(LibC.isRoot(), "switches to the user " + USER + " with runuser, which needs root");
        assumeTrue(new ProcessBuilder("id", USER).start().waitFor() == 0, "the user " + USER + " exists (.ci/setup creates it)");
        int uid = Integer.parseInt(new String(new ProcessBuilder("id", "-u", USER).start().getInputStream().readAllBytes()).strip());
        // /root is not readable by that user: the classes and jars go to a world-readable directory, removed afterwards
        Path shared = Files.createTempDirectory("junit-sandbox-rootless-test-");
        try {
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
            List<Path> classPath = new ArrayList<>();
            for (Path entry : ChildJvm.classPath()) {
                Path copy = shared.resolve("cp" + classPath.size() + (Files.isDirectory(entry) ? "" : ".jar"));
                copyTree(entry, copy);
                classPath.add(copy);
            }
            Process child = ChildJvm.start(List.of("runuser", "-u", USER, "--"), classPath,
                    List.of("-Djunit.sandbox.cacheDir=" + shared.resolve("cache"), "-Djunit.sandbox.stateDir=" + shared), "rootless");
            List<String> lines = ChildJvm.linesUntilDone(child, Duration.ofSeconds(60));
            assertThat(child.waitFor()).isZero();

            assertThat(lines).contains("inside-uid 0", "outside-uid " + uid, "visible-pids [1, 2]", "seccomp 2",
                    "uid-map 0 " + uid + " 1", "oci-uid-map 0 " + uid + " 1",
                    "chroot-like-sees-own-jvm true");
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("proc-sys-mount ro,"));
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("namespaces [").contains("USER"));
            assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("memory-limit-error ").contains("not delegated"));
        } finally {
            deleteTree(shared);
        }
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> tree = Files.walk(source)) {
            for (Path p : tree.toList()) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
                Files.setPosixFilePermissions(to, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
