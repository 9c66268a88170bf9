package io.github.junitsandbox.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rootless path on cgroup v1, for real: a JVM running as the unprivileged user {@code sandboxci} (CI's
 * .ci/setup creates it) is refused limits without a parent cgroup of its own, and enforces them in one that root
 * created and gave it. Needs root to set that up, v1 hierarchies and runuser.
 */
class CgroupV1RootlessTest {

    private static final String USER = "sandboxci";
    private static final List<String> HIERARCHIES = List.of("memory", "pids", "cpu", "freezer");

    private final String parentName = "junit-sandbox-test-rootless-" + ProcessHandle.current().pid();
    private final List<Path> parents = new ArrayList<>();
    private final List<Process> children = new ArrayList<>();
    private Path classpathCopy;

    @BeforeEach
    void needsRootV1AndTheUser() throws Exception {
        assumeTrue(CgroupMounts.ofThisProcess().mode() == CgroupMode.LEGACY, "cgroup v1 memory and pids hierarchies");
        assumeTrue("root".equals(System.getProperty("user.name")), "root");
        assumeTrue(new ProcessBuilder("id", "-u", USER).start().waitFor() == 0, "user " + USER);
        // The user cannot read the build's class path below /root: copy what the probe needs somewhere it can.
        classpathCopy = Files.createTempDirectory("junit-sandbox-cgroup-rootless-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        List<Class<?>> oneClassOfEachEntry = List.of(CgroupDrivers.class, RootlessCgroupProbe.class, Native.class);
        for (int i = 0; i < oneClassOfEachEntry.size(); i++) {
            Path source = Path.of(oneClassOfEachEntry.get(i).getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = classpathCopy.resolve(i + "-" + source.getFileName());
            if (Files.isDirectory(source)) {
                FileUtils.copyDirectory(source.toFile(), target.toFile());
            } else {
                Files.copy(source, target);
            }
        }
        runAsRoot("chmod", "-R", "a+rX", classpathCopy.toString());
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process child : children) {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        if (!parents.isEmpty()) {
            // The probe's JVM is gone: as root, its directories are a dead owner's, which a sweep removes.
            CgroupDrivers.detect(parentName, ProcessHandle.current().pid(), true).sweep(pid -> false);
            parents.forEach(CgroupFs.KERNEL::rmdir);
        }
        if (classpathCopy != null) {
            FileUtils.deleteDirectory(classpathCopy.toFile());
        }
    }

    private static void runAsRoot(String... command) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).as(String.join(" ", command)).isZero();
    }

    private List<String> probeAsUser(String... args) throws Exception {
        String classpath;
        try (Stream<Path> entries = Files.list(classpathCopy)) {
            classpath = String.join(":", entries.sorted().map(Path::toString).toList());
        }
        List<String> command = new ArrayList<>(List.of("runuser", "-u", USER, "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath, RootlessCgroupProbe.class.getName()));
        command.addAll(List.of(args));
        Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
        children.add(probe);
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(probe.waitFor()).as("probe exit status, output:%n%s", output).isZero();
        return output.lines().toList();
    }

    @Test
    void withoutAParentOfItsOwnTheUserIsRefusedLimitsWithTheFix() throws Exception {
        List<String> output = probeAsUser();

        assertThat(output).containsExactly("driver UnavailableCgroupDriver",
                "create failed: cannot enforce memory 33554432 bytes, pids 10 for container rootless: rootless, and this JVM's"
                        + " cgroups in the cgroup v1 hierarchies of [memory, pids] are not delegated to " + USER + " (not writable; systemd delegates"
                        + " only cgroup v2). As root, give this user a parent cgroup in each hierarchy: for c in memory pids cpu freezer;"
                        + " do mkdir -p /sys/fs/cgroup/$c/" + USER + "-sandboxes; chown -R " + USER + " /sys/fs/cgroup/$c/" + USER
                        + "-sandboxes; done; then set junit.sandbox.cgroupParent=" + USER + "-sandboxes");
    }

    @Test
    void inAParentRootGaveItTheUserEnforcesLimitsKillsAndRemoves() throws Exception {
        UserPrincipal user = Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(USER);
        for (String hierarchy : HIERARCHIES) {
            Path parent = Files.createDirectory(Path.of("/sys/fs/cgroup", hierarchy, parentName));
            parents.add(parent);
            try (Stream<Path> files = Files.list(parent)) {
                for (Path file : files.toList()) {
                    Files.setOwner(file, user);
                }
            }
            Files.setOwner(parent, user);
        }

        List<String> output = probeAsUser(parentName);

        assertThat(output).first().isEqualTo("driver CgroupV1Driver");
        assertThat(output).filteredOn(line -> line.startsWith("dir ")).hasSize(3)
                .allSatisfy(line -> assertThat(line).contains("/" + parentName + "/junit-sandbox-").endsWith("-rootless owner " + USER));
        assertThat(output).contains("pids.max 10", "memory.limit_in_bytes 33554432", "sleep exit 137", "removed true");
    }
}
