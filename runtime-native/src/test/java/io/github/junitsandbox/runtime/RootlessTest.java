package io.github.junitsandbox.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.junitsandbox.runtime.os.ThisProcess;
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
        int uid = uidOf(USER);
        List<String> lines = runAs(USER, "rootless");

        // neither v1's devices files nor a device program are a plain user's to set: its root cannot make nodes anyway
        assertThat(lines).contains("inside-uid 0", "outside-uid " + uid, "visible-pids [1, 2]", "seccomp 2", "device-guard NONE",
                "uid-map 0 " + uid + " 1", "oci-uid-map 0 " + uid + " 1",
                "chroot-like-sees-own-jvm true");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("proc-sys-mount ro,"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("namespaces [").contains("USER"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("memory-limit-error ").contains("not delegated"));
        assertThat(lines).contains("layer-AUTO overlay wrote changed source original", "layer-COPY copy wrote changed source original");
    }

    /**
     * Without a delegated cgroup the default PID limit is RLIMIT_NPROC, counted per user namespace: a loop of forks stops
     * at it in each of two containers at once (the second is not charged for the first), the user's own processes are
     * not either, and with {@code pids = 0} the same loop goes past it. A limit written in the spec still fails.
     */
    @Test
    void theDefaultPidLimitHoldsWithoutACgroupAndEachContainerHasItsOwnCount() throws Exception {
        List<String> lines = runAs(USER, "rootless-pids");

        assertThat(lines).contains("pid-limit RLIMIT_NPROC", "max-processes Max processes 1024 1024 processes", "outside-spawn 0");
        for (String container : List.of("a", "b")) {
            String bomb = lines.stream().filter(l -> l.startsWith("bomb-" + container + " ")).findFirst().orElseThrow();
            assertThat(bomb).as("the fork loop in container " + container).contains("refused true");
            int processes = Integer.parseInt(bomb.substring(bomb.lastIndexOf(' ') + 1));
            assertThat(processes).as("processes inside container " + container + " when forks were refused").isBetween(1000, 1024);
        }
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("bomb-unlimited exit 0 processes 110").endsWith("pid-limit NONE"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("given-limit-error cannot enforce pids 64").contains("not delegated"));
    }

    /** uid 1000 inside maps onto the user's subordinate range (newuidmap); the user's own files stay root's inside. */
    @Test
    void anyUidInsideMapsOntoTheUsersSubordinateIds() throws Exception {
        int uid = uidOf(USER);
        long[] subuids = firstSubordinateRange(USER);
        List<String> lines = runAs(USER, "rootless-ids");

        assertThat(lines).contains("inside-ids 1000:1000:1000", "outside-uid " + (subuids[0] + 999),
                "uid-map 0 " + uid + " 1 1 " + subuids[0] + " " + subuids[1],
                "rootfs-owner 0:0", "subject-ids 1000", "image-user 1000");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("gid-map 0 "));
    }

    /** A user with no subordinate range: another uid inside is something the host lacks, and the message names the fix. */
    @Test
    void withoutSubordinateIdsAnotherUidInsideIsAnUnsupportedHost() throws Exception {
        String user = System.getProperty("sandbox.rootless.user.noids", "sandboxnoids");
        assumeTrue(new ProcessBuilder("id", user).start().waitFor() == 0, "the user " + user + " exists (.ci/setup creates it, without subordinate ids)");
        List<String> lines = runAs(user, "rootless-ids");

        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("ids-error user = \"1000:1000\" needs ids other than " + user + "'s own")
                .contains("usermod --add-subuids 100000-165535 --add-subgids 100000-165535 " + user));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("image-user-error the image's User \"1000:1000\" needs ids other than"));
    }

    /** The host check tells a plain user what works here and, for what does not, the fix that the failing test would name. */
    @Test
    void theHostCheckTellsAPlainUserWhatWorksAndTheFixForTheRest() throws Exception {
        List<String> lines = runAs(USER, "host-check");

        assertThat(lines).contains("verdict true", "ok    throwaway layer: overlayfs");
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("ok    default container: runs:").contains("USER", "1024 (RLIMIT_NPROC"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("ok    other uids inside:").contains("/usr/bin/newuidmap"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("no    limits:").contains("not delegated to " + USER, "junit.sandbox.cgroupParent"));

        String noIds = System.getProperty("sandbox.rootless.user.noids", "sandboxnoids");
        assumeTrue(new ProcessBuilder("id", noIds).start().waitFor() == 0, "the user " + noIds + " exists (.ci/setup creates it)");
        assertThat(runAs(noIds, "host-check")).contains("verdict true").anySatisfy(l -> assertThat(l)
                .startsWith("no    other uids inside: user = \"1000:1000\" needs ids other than " + noIds).contains("usermod --add-subuids"));
    }

    /** Runs {@link ContainerLaunchingChild} {@code mode} in a JVM of {@code user}'s, and returns its lines. */
    private static List<String> runAs(String user, String mode) throws Exception {
        assumeTrue(ThisProcess.isRoot(), "switches to the user " + user + " with runuser, which needs root");
        assumeTrue(new ProcessBuilder("id", user).start().waitFor() == 0, "the user " + user + " exists (.ci/setup creates it)");
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
            Process child = ChildJvm.start(List.of("runuser", "-u", user, "--"), classPath,
                    List.of("-Djunit.sandbox.cacheDir=" + shared.resolve("cache"), "-Djunit.sandbox.stateDir=" + shared), mode);
            List<String> lines = ChildJvm.linesUntilDone(child, Duration.ofSeconds(120));
            assertThat(child.waitFor()).isZero();
            return lines;
        } finally {
            deleteTree(shared);
        }
    }

    private static int uidOf(String user) throws IOException {
        return Integer.parseInt(new String(new ProcessBuilder("id", "-u", user).start().getInputStream().readAllBytes()).strip());
    }

    /** The start and count of the user's first line in /etc/subuid. */
    private static long[] firstSubordinateRange(String user) throws IOException {
        return Files.readAllLines(Path.of("/etc/subuid")).stream().map(l -> l.split(":")).filter(f -> f[0].equals(user))
                .map(f -> new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])}).findFirst()
                .orElseThrow(() -> new AssertionError(user + " has no line in /etc/subuid"));
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
