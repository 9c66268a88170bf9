package io.github.junitsandbox.examples.escapes;

import static io.github.junitsandbox.examples.escapes.EscapeProbe.ROOT_JVM;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.assertBlocked;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.assertContained;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.assertEscaped;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.assumeRootJvm;
import static io.github.junitsandbox.examples.escapes.EscapeProbe.attempt;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Block devices made with mknod (root inside keeps CAP_MKNOD, as in Docker: every place it can
 * write is mounted nodev) and the network (raw sockets are allowed, as in Docker, but see only the
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

    /** keepDevicesAndSetuid on a writable bind of a host directory on a file system that allows devices is the explicit loosening. */
    @Test
    @Bind(source = "target/escape-devices", target = "/devices", readOnly = false, keepDevicesAndSetuid = true)
    void twinOnAWritableHostBindTheDiskIsReadable(Container box) throws IOException {
        String[] disk = firstDisk();
        assumeRootOnTheHostCanReadTheDisk(disk);
        Path node = EscapeProbe.moduleDir().resolve("target/escape-devices/disk");
        try {
            assertEscaped(attempt(box, "block-device", "/devices/disk", disk[0], disk[1]));
        } finally {
            Files.deleteIfExists(node);
        }
    }

    /** Inside a container of its own (a CI runner's, say), the host's root may be denied its disks by a device cgroup. */
    private static void assumeRootOnTheHostCanReadTheDisk(String[] disk) throws IOException {
        Path node = EscapeProbe.moduleDir().resolve("target/escape-devices/host-disk");
        try {
            Process probe = new ProcessBuilder(EscapeProbe.onHost(), "block-device", node.toString(), disk[0], disk[1]).start();
            String outcome = new String(probe.getInputStream().readAllBytes());
            assumeTrue(outcome.startsWith("ESCAPED"), "root on this host cannot read its own disk either: " + outcome.strip());
        } finally {
            Files.deleteIfExists(node);
        }
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
