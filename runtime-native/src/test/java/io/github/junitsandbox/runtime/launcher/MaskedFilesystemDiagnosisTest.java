package io.github.junitsandbox.runtime.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The explanation of a refused fresh /proc or /sys, from faithful copies of {@code /proc/self/mountinfo}. */
class MaskedFilesystemDiagnosisTest {

    /** uid 1000 inside podman on this machine, default options: the masked and read-only paths of /proc and /sys. */
    private static final String PODMAN_MASKED = """
            122 46 254:0 /tmp/pl/root / rw,relatime - ext4 /dev/vda rw,discard
            124 122 0:51 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw
            126 122 0:53 / /sys ro,nosuid,nodev,noexec,relatime - sysfs sysfs ro
            133 126 0:55 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw,mode=755
            141 133 0:36 /libpod_parent/libpod-dd29 /sys/fs/cgroup/pids ro,nosuid,nodev,noexec,relatime - cgroup cgroup rw,pids
            47 124 0:51 /bus /proc/bus ro,nosuid,nodev,noexec,relatime - proc proc rw
            48 124 0:51 /fs /proc/fs ro,nosuid,nodev,noexec,relatime - proc proc rw
            49 124 0:51 /irq /proc/irq ro,nosuid,nodev,noexec,relatime - proc proc rw
            50 124 0:51 /sys /proc/sys ro,nosuid,nodev,noexec,relatime - proc proc rw
            51 124 0:56 / /proc/acpi ro,relatime - tmpfs tmpfs ro
            52 124 0:52 /null /proc/keys rw,nosuid,noexec - tmpfs tmpfs rw,size=65536k,mode=755
            53 124 0:52 /null /proc/timer_list rw,nosuid,noexec - tmpfs tmpfs rw,size=65536k,mode=755
            54 126 0:57 / /sys/firmware ro,relatime - tmpfs tmpfs ro
            55 126 0:58 / /sys/dev/block ro,relatime - tmpfs tmpfs ro
            """;

    /** The same mounts as --security-opt unmask=ALL leaves them (the masked lines dropped): only the cgroup mounts below /sys. */
    private static final String PODMAN_UNMASKED = """
            122 46 254:0 /tmp/pl/root / rw,relatime - ext4 /dev/vda rw,discard
            124 122 0:51 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw
            126 122 0:53 / /sys ro,nosuid,nodev,noexec,relatime - sysfs sysfs ro
            133 126 0:55 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw,mode=755
            141 133 0:36 /libpod_parent/libpod-dd29 /sys/fs/cgroup/pids ro,nosuid,nodev,noexec,relatime - cgroup cgroup rw,pids
            """;

    private static final LauncherError PROC_REFUSED = new LauncherError("mount(proc, /dev/shm/s/proc)", "EPERM", "Operation not permitted");

    @TempDir
    Path tmp;

    private Optional<String> explain(String mountinfo, LauncherError error) throws IOException {
        return new MaskedFilesystemDiagnosis(Files.writeString(tmp.resolve("mountinfo"), mountinfo)).explain(error);
    }

    @Test
    void aRefusedProcUnderMaskedPathsNamesThemAndTheFix() throws IOException {
        assertThat(explain(PODMAN_MASKED, PROC_REFUSED)).hasValue("the kernel mounts a fresh /proc in a user namespace only where the"
                + " one this JVM sees is visible whole, and here paths are mounted over it (/proc/bus, /proc/fs, /proc/irq, /proc/sys,"
                + " /proc/acpi, /proc/keys, ...): the masked paths of the container this JVM runs in; run that container with"
                + " --security-opt unmask=ALL (podman), --security-opt systempaths=unconfined (Docker) or --privileged");
    }

    @Test
    void aRefusedSysfsNamesTheMasksOfSysButNotTheCgroupMounts() throws IOException {
        LauncherError refused = new LauncherError("mount(sysfs, /dev/shm/s/sys)", "EPERM", "Operation not permitted");

        assertThat(explain(PODMAN_MASKED, refused)).get().asString()
                .startsWith("the kernel mounts a fresh /sys in a user namespace only where the one this JVM sees is visible whole,"
                        + " and here paths are mounted over it (/sys/firmware, /sys/dev/block): ");
    }

    @Test
    void withNothingMaskedThereIsNoGuess() throws IOException {
        assertThat(explain(PODMAN_UNMASKED, PROC_REFUSED)).isEmpty();
    }

    @Test
    void otherStepsAndErrorsAreNotExplainedByMasks() throws IOException {
        assertThat(explain(PODMAN_MASKED, new LauncherError("mount(proc, /dev/shm/s/proc)", "ENOENT", "No such file or directory"))).isEmpty();
        assertThat(explain(PODMAN_MASKED, new LauncherError("mount(tmpfs, /dev/shm/s/tmp)", "EPERM", "Operation not permitted"))).isEmpty();
    }
}
