package io.github.junitsandbox.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.junitsandbox.runtime.cgroup.CgroupMount;
import io.github.junitsandbox.runtime.cgroup.CgroupMounts;
import io.github.junitsandbox.runtime.cgroup.CgroupV2Driver;
import io.github.junitsandbox.runtime.cgroup.DeviceAllowlist;
import io.github.junitsandbox.runtime.cgroup.DeviceRule;
import io.github.junitsandbox.runtime.os.ThisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device allowlist as the kernel enforces it in a root JVM's containers: this machine's own driver (cgroup v1's
 * devices controller here, a device program where the hierarchy is unified), and the cgroup v2 device program on a
 * cgroup of this machine's cgroup2 mount (the hybrid layout's, which holds no controller and needs none for it). Nodes
 * are made in a bind that keeps devices, so that nodev is not what stops them; each line a container writes to a
 * {@code /dev/kmsg} of its own making is looked for in the host's kernel log. A plain user's containers, which cannot
 * make nodes at all: {@link RootlessTest}.
 */
class DeviceAllowlistTest {

    private static final String ATTEMPTS = "head -c 1 /dev/zero | wc -c; echo x > /dev/null && echo null-written;"
            + " rm -f /b/kmsg; mknod /b/kmsg c 1 11 && echo node-made; echo \"$0\" > /b/kmsg && echo log-written";

    @TempDir
    Path bind;

    @BeforeEach
    void rootOnly() {
        assumeTrue(ThisProcess.isRoot(), "a plain user's JVM gets no device cgroup (RootlessTest)");
    }

    @Test
    void thisMachinesDriverOpensDockersDefaultSetAndNoOtherNode() throws Exception {
        try (Container box = Sandboxes.launch(spec().build())) {
            assertThat(box.deviceGuard()).isIn(DeviceGuard.DEVICES_CONTROLLER, DeviceGuard.DEVICE_PROGRAM);
            String line = uniqueLine();
            assertThat(attempt(box, line)).isEqualTo(List.of("1", "null-written", "node-made"));
            assertThat(hostKernelLog()).doesNotContain(line);
            if (box.deviceGuard() == DeviceGuard.DEVICES_CONTROLLER) {
                assertThat(Files.readAllLines(devicesList(box))).as("devices.list of the container's cgroup, read on the host")
                        .containsExactlyElementsOf(DeviceAllowlist.DOCKER_DEFAULT.rules().stream().map(DeviceRule::toString).toList());
            }
        }
    }

    @Test
    void aNamedDeviceIsBoundInAndOpens() throws Exception {
        try (Container box = Sandboxes.launch(spec().devices("/dev/kmsg").build())) {
            String line = uniqueLine();
            assertThat(attempt(box, line)).isEqualTo(List.of("1", "null-written", "node-made", "log-written"));
            assertThat(hostKernelLog()).contains(line);
            assertThat(box.exec("sh", "-c", "test -c /dev/kmsg && echo bound").stdout()).isEqualTo("bound\n");
        }
    }

    @Test
    void theDeviceProgramOnACgroup2CgroupOpensDockersDefaultSetAndTheNamedDevice() throws Exception {
        CgroupMount unified = CgroupMounts.ofThisProcess().all().stream().filter(m -> m.version() == 2).findFirst().orElse(null);
        assumeTrue(unified != null && Files.isWritable(unified.mountPoint().resolve("cgroup.procs")), "a writable cgroup2 mount");
        SandboxRuntime runtime = SandboxRuntime.builder()
                .cgroupDriver(new CgroupV2Driver(unified.mountPoint(), unified.mountPoint(), ProcessHandle.current().pid())).build();
        // pids = 0: the hybrid layout's cgroup2 mount has no pids controller
        try (Container box = runtime.launch(spec().pidsLimit(0).build())) {
            assertThat(box.deviceGuard()).isEqualTo(DeviceGuard.DEVICE_PROGRAM);
            String line = uniqueLine();
            assertThat(attempt(box, line)).isEqualTo(List.of("1", "null-written", "node-made"));
            assertThat(hostKernelLog()).doesNotContain(line);
        }
        try (Container box = runtime.launch(spec().pidsLimit(0).devices("/dev/kmsg:w").build())) {
            String line = uniqueLine();
            assertThat(attempt(box, line)).as("kmsg allowed for writing only, and mknod of it for everyone")
                    .isEqualTo(List.of("1", "null-written", "node-made", "log-written"));
            assertThat(hostKernelLog()).contains(line);
            assertThat(box.exec("head", "-c", "1", "/dev/kmsg").stderr()).contains("Operation not permitted");
        }
    }

    private ContainerSpec.Builder spec() {
        return ContainerSpec.builder().bind(bind.toString(), "/b", false, true);
    }

    private static String uniqueLine() {
        return "junit-sandbox device test " + UUID.randomUUID();
    }

    /** Each attempt's line of success; the refusals go to stderr. */
    private static List<String> attempt(Container box, String line) {
        return box.exec("sh", "-c", ATTEMPTS, line).stdout().lines().toList();
    }

    private static Path devicesList(Container box) {
        return Path.of("/sys/fs/cgroup/devices", "junit-sandbox-" + ProcessHandle.current().pid() + "-" + box.id(), "devices.list");
    }

    /** This test's lines of the host's kernel log, as root reads it there. */
    private static List<String> hostKernelLog() throws IOException, InterruptedException {
        Process dmesg = new ProcessBuilder("dmesg", "-t").start();
        String log = new String(dmesg.getInputStream().readAllBytes());
        assertThat(dmesg.waitFor()).as("dmesg -t, exit status").isZero();
        return log.lines().filter(line -> line.startsWith("junit-sandbox device test ")).toList();
    }
}
