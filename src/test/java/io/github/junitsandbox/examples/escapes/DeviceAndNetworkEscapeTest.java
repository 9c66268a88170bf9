package io.github.junitsandbox.examples.escapes;

import static io.github.junitsandbox.examples.escapes.EscapeProbe.ROOT_JVM;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.assertBlocked;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.assertContained;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.assertEscaped;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.assumeRootJvm;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.attempt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.junitsandbox.Bind;
import io.github.junitsandbox.Sandbox;
import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Device nodes made with mknod (root inside keeps CAP_MKNOD, as in Docker: every place it can write
 * is mounted nodev, and the device cgroup opens only Docker's default set and the devices named) and the network (raw sockets are allowed, as in Docker, but see only the
 * container's own loopback; changing interfaces needs CAP_NET_ADMIN).
 */
@WithEscapeProbe
class DeviceAndNetworkEscapeTest {

    @BeforeAll
    static void buildProbe() throws Exception {
        EscapeProbe.build();
        Files.createDirectories(EscapeProbe.moduleDir().resolve("target/escape-devices"));
    }

    /** The first disk of the machine as MAJOR and MINOR, from /proc/partitions. */
    private static String[] firstDisk() throws IOException {
        List<String[]> rows = Files.readAllLines(Path.of("/proc/partitions")).stream().skip(2).map(String::strip)
                .filter(l -> !l.isEmpty()).map(l -> l.split("\\s+")).toList();
        assumeTrue(!rows.isEmpty(), "this machine lists no block device in /proc/partitions");
        return new String[] {rows.get(0)[0], rows.get(0)[1]};
    }

    @Test
    void aBlockDeviceMadeInTmpCannotBeOpened(Container box) throws IOException {
        assertBlockDeviceUseless(box, "/tmp/disk");
    }

    @Test
    void aBlockDeviceMadeInTheRootCannotBeOpened(Container box) throws IOException {
        assertBlockDeviceUseless(box, "/disk");
    }

    /** /dev is a nodev tmpfs whose nodes are bound in from the host: a node made there with mknod does not open. */
    @Test
    void aBlockDeviceMadeInDevCannotBeOpened(Container box) throws IOException {
        assertBlockDeviceUseless(box, "/dev/disk");
    }

    /** The throwaway overlay layer over a rootfs directory is nodev too. */
    @Test
    @Sandbox(rootfs = "busybox")
    void aBlockDeviceMadeInABusyboxRootCannotBeOpened(Container box) throws IOException {
        assertBlockDeviceUseless(box, "/disk");
    }

    /** nodev stops the open as root; a plain user's user namespace cannot even make the node (the kernel's rule). */
    private static void assertBlockDeviceUseless(Container box, String node) throws IOException {
        String[] disk = firstDisk();
        ExecResult attempt = attempt(box, "block-device", node, disk[0], disk[1]);
        if (ROOT_JVM) {
            assertBlocked(attempt, "open(block device)", "EACCES");
        } else {
            assertBlocked(attempt, "mknod(S_IFBLK)", "EPERM");
        }
    }

    /** A writable bind is nodev even where its host file system allows devices: the node is made there, and does not open. */
    @Test
    @Bind(source = "target/escape-devices", target = "/devices", readOnly = false)
    void aBlockDeviceMadeInAWritableBindCannotBeOpened(Container box) throws IOException {
        try {
            assertBlockDeviceUseless(box, "/devices/disk");
        } finally {
            Files.deleteIfExists(EscapeProbe.moduleDir().resolve("target/escape-devices/disk"));
        }
    }

    /**
     * The device cgroup alone: a bind that keeps devices (the explicit loosening of nodev) lets the node be made and
     * looked at, and the cgroup still refuses to open it.
     */
    @Test
    @Bind(source = "target/escape-devices", target = "/devices", readOnly = false, keepDevicesAndSetuid = true)
    void aBlockDeviceMadeInABindKeepingDevicesIsDeniedByTheDeviceCgroup(Container box) throws IOException {
        String[] disk = firstDisk();
        try {
            ExecResult attempt = attempt(box, "block-device", "/devices/disk", disk[0], disk[1]);
            if (ROOT_JVM) {
                assertBlocked(attempt, "open(block device)", "EPERM");
            } else {
                assertBlocked(attempt, "mknod(S_IFBLK)", "EPERM");
            }
        } finally {
            Files.deleteIfExists(EscapeProbe.moduleDir().resolve("target/escape-devices/disk"));
        }
    }

    /** The host's kernel log through a /dev/kmsg made anew, with only the device cgroup in the way. */
    @Test
    @Bind(source = "target/escape-devices", target = "/devices", readOnly = false, keepDevicesAndSetuid = true)
    void theHostsKernelLogCannotBeWrittenThroughANodeMadeInABindKeepingDevices(Container box) throws Exception {
        String line = uniqueLine();
        ExecResult attempt = writeKernelLog(box, line);
        if (ROOT_JVM) {
            assertBlocked(attempt, "open(char device)", "EPERM");
            assertThat(hostKernelLogLines()).doesNotContain(line);
        } else {
            assertBlocked(attempt, "mknod(S_IFCHR)", "EPERM");
        }
    }

    /** nodev alone: the device cgroup allows /dev/kmsg, and the node made in a plain writable bind still does not open. */
    @Test
    @Sandbox(devices = "/dev/kmsg")
    @Bind(source = "target/escape-devices", target = "/devices", readOnly = false)
    void whereTheCgroupAllowsTheKernelLogANodeInAWritableBindStillDoesNotOpen(Container box) throws Exception {
        ExecResult attempt = writeKernelLog(box, uniqueLine());
        if (ROOT_JVM) {
            assertBlocked(attempt, "open(char device)", "EACCES");
        } else {
            assertBlocked(attempt, "mknod(S_IFCHR)", "EPERM");
        }
    }

    /** Both loosened explicitly: the device allowed and the bind keeping devices. The line shows in the host's dmesg. */
    @Test
    @Sandbox(devices = "/dev/kmsg")
    @Bind(source = "target/escape-devices", target = "/devices", readOnly = false, keepDevicesAndSetuid = true)
    void twinWithTheDeviceAllowedAndDevicesKeptTheHostsKernelLogIsWritten(Container box) throws Exception {
        assumeRootJvm("its root cannot make a device node at all");
        String line = uniqueLine();
        assertEscaped(writeKernelLog(box, line));
        assertThat(hostKernelLogLines()).contains(line);
    }

    private static String uniqueLine() {
        return "junit-sandbox escape test " + UUID.randomUUID();
    }

    private static ExecResult writeKernelLog(Container box, String line) throws IOException {
        try {
            return attempt(box, "kernel-log", "/devices/kmsg", line);
        } finally {
            Files.deleteIfExists(EscapeProbe.moduleDir().resolve("target/escape-devices/kmsg"));
        }
    }

    /** The lines of these tests in the host's kernel log, as root on the host reads it (without the timestamps). */
    private static List<String> hostKernelLogLines() throws IOException, InterruptedException {
        Process dmesg = new ProcessBuilder("dmesg", "--notime").start();
        List<String> lines = new String(dmesg.getInputStream().readAllBytes()).lines().filter(l -> l.startsWith("junit-sandbox escape test ")).toList();
        assertThat(dmesg.waitFor()).as("dmesg --notime on the host: exit status").isZero();
        return lines;
    }

    @Test
    void aRawSocketSeesOnlyTheContainersLoopback(Container box) {
        assertContained(attempt(box, "raw-socket"));
    }

    @Test
    @Sandbox(network = "host")
    void twinOnTheHostsNetworkARawSocketSeesItsInterfaces(Container box) {
        assumeRootJvm("CAP_NET_RAW holds only in its own user namespace, not in the host's network namespace it shares");
        assertEscaped(attempt(box, "raw-socket"));
    }

    /** vsock is not namespaced: with network = "none" too, a socket of its family reaches the hypervisor host. */
    @Test
    void aVsockSocketIsRefused(Container box) {
        assertBlocked(attempt(box, "vsock"), "socket(AF_VSOCK)", "EPERM");
    }

    @Test
    @Sandbox(seccomp = "unconfined")
    void twinUnconfinedAVsockSocketIsMade(Container box) {
        ExecResult attempt = attempt(box, "vsock");
        assumeFalse(attempt.exitCode() == 2, () -> "the kernel has no vsock: " + attempt.stdout());
        assertEscaped(attempt);
    }

    @Test
    void changingAnInterfaceIsRefused(Container box) {
        assertBlocked(attempt(box, "change-network"), "ioctl(SIOCSIFMTU)", "EPERM");
    }

    @Test
    @Sandbox(capabilities = "+NET_ADMIN")
    void twinWithNetAdminAnInterfaceChanges(Container box) {
        assertEscaped(attempt(box, "change-network"));
    }
}
