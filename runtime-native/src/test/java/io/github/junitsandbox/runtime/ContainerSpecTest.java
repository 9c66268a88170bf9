package io.github.junitsandbox.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.junitsandbox.runtime.cgroup.DeviceRule;
import io.github.junitsandbox.runtime.rootfs.DirectoryRootfsProvider;
import java.nio.file.Path;
import java.time.Duration;
import io.github.junitsandbox.runtime.seccomp.SeccompPolicy;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerSpecTest {

    private static InvalidSpecException rejection(ThrowingCallable call) {
        InvalidSpecException e = catchThrowableOfType(InvalidSpecException.class, call);
        assertThat(e).as("InvalidSpecException").isNotNull();
        return e;
    }

    private static void assertRejected(ThrowingCallable call, String attribute, String message) {
        InvalidSpecException e = rejection(call);
        assertThat(e.attribute()).isEqualTo(attribute);
        assertThat(e).hasMessage(message);
    }

    @Nested
    class Defaults {
        private final ContainerSpec spec = ContainerSpec.builder().build(true);

        @Test
        void areThoseOfTheDesign() {
            assertThat(spec.rootfs().describe()).isEqualTo("host");
            assertThat(spec.namespaces()).containsExactly(Namespace.PID, Namespace.UTS, Namespace.IPC, Namespace.MOUNT, Namespace.NET, Namespace.CGROUP);
            assertThat(spec.hostname()).contains("sandbox");
            assertThat(spec.network()).isEqualTo(Network.NONE);
            assertThat(spec.memoryLimitBytes()).isEmpty();
            assertThat(spec.pidsLimit()).isEqualTo(1024);
            assertThat(spec.pidsLimitGiven()).isFalse();
            assertThat(ContainerSpec.builder().pidsLimit(1024).build(true).pidsLimitGiven()).isTrue();
            assertThat(ContainerSpec.builder().pidsLimit(1024).build(true)).as("a given limit is not the default").isNotEqualTo(spec);
            assertThat(spec.command()).isEmpty();
            assertThat(spec.user()).isEmpty();
            assertThat(spec.rlimits()).containsExactly(new ResourceLimit("nofile", 1024, 1024));
            assertThat(spec.readOnlyRoot()).isFalse();
            assertThat(spec.timeout()).isEmpty();
        }

        @Test
        void addUserNamespaceWhenNotRoot() {
            assertThat(ContainerSpec.builder().build(false).namespaces()).contains(Namespace.USER);
            assertThat(ContainerSpec.builder().namespaces(Namespace.PID, Namespace.MOUNT).build(false).namespaces())
                    .containsExactly(Namespace.PID, Namespace.MOUNT, Namespace.USER);
        }

        @Test
        void acceptAUserNamespaceWithItsOwnMountsButTheHostsPids() {
            // chroot-like for a JVM that is not root: the launcher binds the host's /proc, which the kernel lets a
            // user namespace beside the host's PID namespace have (a fresh one it refuses)
            assertThat(ContainerSpec.builder().namespaces(Namespace.MOUNT).build(false).namespaces())
                    .containsExactly(Namespace.MOUNT, Namespace.USER);
            assertThat(ContainerSpec.builder().namespaces(Namespace.UTS).build(false).namespaces()).containsExactly(Namespace.UTS, Namespace.USER);
        }

        @Test
        void giveRootDockersCapabilitiesAndOthersNone() {
            assertThat(spec.capabilitiesFor(ContainerUser.ROOT)).hasSize(14).contains("chown", "kill", "setfcap", "net_raw")
                    .doesNotContain("sys_admin", "sys_ptrace");
            assertThat(spec.capabilitiesFor(new ContainerUser(1000, 1000))).isEmpty();
        }

        @Test
        void confineAsDockerDoes() {
            assertThat(spec.seccomp()).isEqualTo(SeccompPolicy.defaultPolicy());
            assertThat(spec.systemPaths().masked()).contains("/proc/kcore", "/proc/keys", "/sys/firmware").hasSize(10);
            assertThat(spec.systemPaths().readOnly()).containsExactly("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
        }

        @Test
        void describeOneAttributePerLine() {
            assertThat(spec.describe()).isEqualTo(String.join("\n",
                    "rootfs: host",
                    "namespaces: PID, UTS, IPC, MOUNT, NET, CGROUP",
                    "hostname: sandbox",
                    "network: none",
                    "memory: no limit",
                    "memorySwap: no limit",
                    "shmSize: 64m",
                    "pids: 1024 (the default)",
                    "cpus: no limit",
                    "command: (none: idle container)",
                    "env: (defaults: PATH, HOME, HOSTNAME)",
                    "workdir: (the image's, else /)",
                    "user: (the image's, else 0:0, capabilities chown,dac_override,fowner,fsetid,kill,setgid,setuid,setpcap,"
                            + "net_bind_service,net_raw,sys_chroot,mknod,audit_write,setfcap, no_new_privs)",
                    "capabilities: (Docker's default for uid 0, none for other uids)",
                    "seccomp: default",
                    "unmaskedPaths: none (Docker's masked and read-only paths)",
                    "readOnlyRoot: false",
                    "devices: Docker's default set",
                    "binds: none",
                    "timeout: none",
                    "rlimits: nofile=1024:1024"));
        }
    }

    @Test
    void keepsEveryGivenValue(@TempDir Path dir) {
        ContainerSpec spec = ContainerSpec.builder().rootfs("dir:" + dir).namespaces(Namespace.PID, Namespace.MOUNT, Namespace.UTS)
                .hostname("box-1.test").memoryLimit("64m").memorySwapLimit("128m").pidsLimit(64).cpus(1.5)
                .command("/bin/sleep", "3600").env("A=1", "B=x=y").workdir("/work").user("1000:100").readOnlyRoot(true)
                .bind(dir.toString(), "/data", true).devices("/dev/null:r").timeout("30s").rlimit("nproc", 10, 20).build(true);

        assertThat(spec.rootfs()).isEqualTo(new DirectoryRootfsProvider(dir));
        assertThat(ContainerSpec.builder().capabilities("-ALL", "+cap_kill", "+SYS_ADMIN", "-kill").build(true)
                .capabilitiesFor(ContainerUser.ROOT)).containsExactly("sys_admin");
        // ALL is every capability the host allows: the JVM's bounding set without a user namespace, everything within one
        assertThat(ContainerSpec.builder().capabilities("+ALL").build(true).capabilitiesFor(ContainerUser.ROOT))
                .containsExactlyElementsOf(Capabilities.kernelNames().stream().filter(Capabilities.boundingSetOfThisJvm()::contains).toList());
        assertThat(ContainerSpec.builder().capabilities("+ALL").build(false).capabilitiesFor(ContainerUser.ROOT))
                .containsExactlyElementsOf(Capabilities.kernelNames());
        assertThat(ContainerSpec.builder().seccomp("unconfined").unmaskedPaths("/proc/kcore", "/proc/sys").build(true))
                .satisfies(s -> assertThat(s.seccomp()).isEqualTo(SeccompPolicy.unconfined()))
                .satisfies(s -> assertThat(s.systemPaths().masked()).doesNotContain("/proc/kcore").contains("/proc/keys"))
                .satisfies(s -> assertThat(s.systemPaths().readOnly()).doesNotContain("/proc/sys").contains("/proc/irq"));
        assertThat(ContainerSpec.builder().unmaskedPaths("ALL").build(true).systemPaths())
                .satisfies(p -> assertThat(p.masked()).isEmpty()).satisfies(p -> assertThat(p.readOnly()).isEmpty());
        assertThat(spec.namespaces()).containsExactly(Namespace.PID, Namespace.UTS, Namespace.MOUNT);
        assertThat(spec.network()).isEqualTo(Network.HOST);
        assertThat(spec.hostname()).contains("box-1.test");
        assertThat(spec.memoryLimitBytes()).hasValue(64L << 20);
        assertThat(spec.memorySwapLimitBytes()).hasValue(128L << 20);
        assertThat(spec.cgroupLimits().pids()).hasValue(64);
        assertThat(spec.cgroupLimits().cpus()).hasValue(1.5);
        assertThat(spec.command()).containsExactly("/bin/sleep", "3600");
        assertThat(spec.env()).containsExactly(Map.entry("A", "1"), Map.entry("B", "x=y"));
        assertThat(spec.workdir()).contains("/work");
        assertThat(spec.user()).contains(new ContainerUser(1000, 100));
        assertThat(spec.readOnlyRoot()).isTrue();
        assertThat(spec.binds()).containsExactly(new BindMount(dir, "/data", true));
        assertThat(spec.devices()).containsExactly(new DeviceNode(Path.of("/dev/null"), DeviceRule.parse("c 1:3 r")));
        assertThat(spec.devices().get(0).readOnly()).isTrue();
        assertThat(spec.deviceAllowlist().rules()).endsWith(DeviceRule.parse("c 1:3 r")).startsWith(DeviceRule.parse("c *:* m"));
        assertThat(spec.timeout()).contains(Duration.ofSeconds(30));
        assertThat(spec.rlimits()).containsExactly(new ResourceLimit("nofile", 1024, 1024), new ResourceLimit("nproc", 10, 20));
        assertThat(spec.describe()).contains("memory: 64m", "memorySwap: 128m", "devices: Docker's default set, /dev/null (c 1:3 r)", "user: 1000:100, capabilities none, no_new_privs");
    }

    @Test
    void toBuilderRebuildsAnEqualSpecThatCanBeChangedApart() {
        ContainerSpec original = ContainerSpec.builder().network("host").hostname("a").env("K=v").command("/bin/true").build(true);
        ContainerSpec copy = original.toBuilder().build(true);
        ContainerSpec changed = original.toBuilder().hostname("b").env("K=w").build(true);

        assertThat(copy).isEqualTo(original);
        assertThat(copy.describe()).isEqualTo(original.describe());
        assertThat(changed.hostname()).contains("b");
        assertThat(changed.env()).containsEntry("K", "w");
        assertThat(original.hostname()).contains("a");
        assertThat(original.env()).containsEntry("K", "v");
    }

    @Test
    void networkHostLeavesTheNetworkNamespaceOut() {
        ContainerSpec spec = ContainerSpec.builder().network(Network.HOST).build(true);
        assertThat(spec.namespaces()).doesNotContain(Namespace.NET).contains(Namespace.PID, Namespace.MOUNT);
        assertThat(spec.network()).isEqualTo(Network.HOST);
    }

    @Test
    void parsesSizesAndDurations() {
        assertThat(ByteSizes.parse("memory", "1048576")).isEqualTo(1 << 20);
        assertThat(ByteSizes.parse("memory", "512k")).isEqualTo(512L << 10);
        assertThat(ByteSizes.parse("memory", "2G")).isEqualTo(2L << 30);
        assertThat(ByteSizes.format(64L << 20)).isEqualTo("64m");
        assertThat(ByteSizes.format(1536)).isEqualTo("1536");
        assertThat(ByteSizes.format(3L << 10)).isEqualTo("3k");
        assertThat(Durations.parse("timeout", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("timeout", "30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("timeout", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("timeout", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("timeout", "PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    }

    @Nested
    class Rejects {
        private final ContainerSpec.Builder builder = ContainerSpec.builder();

        @Test
        void badSizes() {
            String accepted = "a positive number of bytes, or a number with k, m or g (binary: 64m = 64 MiB)";
            for (String bad : List.of("64mb", "-1", "0", "", "1.5g", "m")) {
                assertRejected(() -> builder.memoryLimit(bad), "memory", "memory = \"" + bad + "\" is not accepted: " + accepted);
            }
            assertRejected(() -> builder.memoryLimit(0), "memory", "memory = 0 is not accepted: " + accepted);
            assertRejected(() -> builder.memorySwapLimit("lots"), "memorySwap", "memorySwap = \"lots\" is not accepted: " + accepted);
            assertRejected(() -> builder.memoryLimit("9999999999999g"), "memory",
                    "memory = \"9999999999999g\" is not accepted: " + accepted + ", at most 9223372036854775807 bytes");
        }

        @Test
        void badCapabilities() {
            for (String bad : List.of("SYS_ADMIN", "+", "+CAP_NOPE", "*ALL")) {
                InvalidSpecException e = rejection(() -> builder.capabilities(bad));
                assertThat(e.attribute()).isEqualTo("capabilities");
                assertThat(e.accepted()).contains("ALL, CHOWN, DAC_OVERRIDE", "SYS_ADMIN", "NET_RAW");
            }
            assertRejected(() -> ContainerSpec.builder().user("1000").capabilities("+NET_ADMIN").build(true), "capabilities",
                    "capabilities = \"+net_admin\" is not accepted: additions only for uid 0 (user = 1000:1000 holds no capabilities);"
                            + " drop user, or add none");
        }

        @Test
        void badSeccompAndUnmaskedPaths() {
            assertRejected(() -> builder.seccomp("strict"), "seccomp", "seccomp = \"strict\" is not accepted: " + SeccompPolicy.ACCEPTED
                    + " (no such file)");
            InvalidSpecException e = rejection(() -> builder.unmaskedPaths("/proc/self"));
            assertThat(e.attribute()).isEqualTo("unmaskedPaths");
            assertThat(e.accepted()).startsWith("ALL, or paths among the masked [/proc/acpi, /proc/kcore");
        }

        @Test
        void badDurations() {
            String accepted = "a positive duration: 500ms, 30s, 2m, 1h, or ISO-8601 such as PT30S";
            for (String bad : List.of("30", "30 sec", "PT", "0s", "PT-5S", "1d")) {
                assertRejected(() -> builder.timeout(bad), "timeout", "timeout = \"" + bad + "\" is not accepted: " + accepted);
            }
            assertRejected(() -> builder.timeout(Duration.ZERO), "timeout", "timeout = PT0S is not accepted: " + accepted);
        }

        @Test
        void badHostnames() {
            for (String bad : List.of("", "has space", "a".repeat(65), "under_score")) {
                assertRejected(() -> builder.hostname(bad), "hostname",
                        "hostname = \"" + bad + "\" is not accepted: 1 to 64 characters among A-Z a-z 0-9 . -");
            }
        }

        @Test
        void aHostnameWithoutUts() {
            assertRejected(() -> builder.namespaces(Namespace.PID, Namespace.MOUNT).hostname("x").build(true), "hostname",
                    "hostname = \"x\" is not accepted: a hostname only with UTS among namespaces (namespaces = [PID, MOUNT]); add UTS");
        }

        @Test
        void pidsOutOfRange() {
            for (int bad : new int[] {-1, 4_194_305}) {
                assertRejected(() -> builder.pidsLimit(bad), "pids", "pids = " + bad + " is not accepted: 1 to 4194304, or 0 for no limit");
            }
        }

        @Test
        void nonPositiveCpus() {
            for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
                assertRejected(() -> builder.cpus(bad), "cpus",
                        "cpus = " + bad + " is not accepted: a finite number of CPUs greater than 0, such as 0.5 or 2");
            }
        }

        @Test
        void badCommands() {
            assertRejected(() -> builder.command("", "x"), "command",
                    "command = \"[, x]\" is not accepted: a non-empty program name or path as the first element");
            assertRejected(() -> builder.command("/bin/echo", "a\0b"), "command",
                    "command = \"[/bin/echo, a\0b]\" is not accepted: arguments without null or NUL characters");
        }

        @Test
        void badEnvEntries() {
            assertRejected(() -> builder.env("NOVALUE"), "env", "env = \"NOVALUE\" is not accepted: KEY=value with a non-empty KEY");
            assertRejected(() -> builder.env("=x"), "env", "env = \"=x\" is not accepted: KEY=value with a non-empty KEY");
            assertRejected(() -> builder.env(Map.of("A", "b\0c")), "env", "env = \"A=b\0c\" is not accepted: a value without NUL characters");
        }

        @Test
        void aRelativeWorkdir() {
            assertRejected(() -> builder.workdir("work"), "workdir",
                    "workdir = \"work\" is not accepted: an absolute path inside the container, such as /work");
        }

        @Test
        void badUsers() {
            String accepted = "UID or UID:GID, numbers from 0 to 2147483647 (names are not looked up)";
            for (String bad : List.of("root", "1000:", ":1000", "-1", "99999999999")) {
                assertRejected(() -> builder.user(bad), "user", "user = \"" + bad + "\" is not accepted: " + accepted);
            }
            assertRejected(() -> builder.user(-1, 0), "user", "user = \"-1:0\" is not accepted: " + accepted);
        }

        @Test
        void badBinds(@TempDir Path dir) {
            assertRejected(() -> builder.bind(dir.resolve("absent").toString(), "/x", true), "bind",
                    "bind = \"" + dir.resolve("absent") + " -> /x\" is not accepted: a source path that exists on the host");
            assertRejected(() -> builder.bind(dir.toString(), "relative", false), "bind",
                    "bind = \"" + dir + " -> relative\" is not accepted: an absolute target path inside the container, other than /");
        }

        @Test
        void badDevices(@TempDir Path dir) {
            String accepted = "a device node on the host under /dev, optionally with :ACCESS (r, w, m in that order; default rwm),"
                    + " e.g. /dev/fuse or /dev/net/tun:rw";
            for (String bad : List.of("dev/null", "/dev", "/dev/../etc/passwd", "/etc/passwd", "/dev/null:x")) {
                InvalidSpecException e = rejection(() -> builder.devices(bad));
                assertThat(e.attribute()).isEqualTo("devices");
                assertThat(e).hasMessageStartingWith("devices = \"" + bad + "\" is not accepted: " + accepted);
            }
            assertThat(rejection(() -> builder.devices("/dev/shm"))).hasMessageEndingWith("(/dev/shm is not a character or block device)");
            assertThat(rejection(() -> builder.devices("/dev/absent"))).hasMessageContaining("(/dev/absent: java.nio.file.NoSuchFileException");
        }

        @Test
        void badRlimits() {
            assertRejected(() -> builder.rlimit("files", 1, 1), "rlimits",
                    "rlimits = \"files\" is not accepted: one of as, core, cpu, fsize, memlock, nofile, nproc, stack");
            assertRejected(() -> builder.rlimit("nofile", 20, 10), "rlimits",
                    "rlimits = \"nofile=20:10\" is not accepted: a soft limit no higher than the hard limit");
            assertRejected(() -> builder.rlimit("nofile", -2, 10), "rlimits",
                    "rlimits = \"nofile=-2:10\" is not accepted: limits of 0 or more, or unlimited (-1)");
        }

        @Test
        void aNetworkThatIsNeitherNoneNorHost() {
            assertRejected(() -> builder.network("bridge"), "network",
                    "network = \"bridge\" is not accepted: none (a new network namespace with only lo) or host (share the host's network)");
        }

        @Test
        void networkNoneWithoutANetworkNamespace() {
            assertRejected(() -> builder.namespaces(Namespace.PID).network("none").build(true), "network",
                    "network = \"none\" is not accepted: none only with NET among namespaces (namespaces = [PID]); add NET, or use network = host");
        }

        @Test
        void networkHostWithANetworkNamespace() {
            assertRejected(() -> builder.namespaces(Namespace.NET).network("host").build(true), "network",
                    "network = \"host\" is not accepted: host only without NET among namespaces (namespaces = [NET]); remove NET, or use network = none");
        }

        @Test
        void whatNeedsAMountNamespaceWithoutOne(@TempDir Path dir) {
            String why = " only with MOUNT among namespaces (namespaces = [PID]): without it the container shares the host's filesystem";
            assertRejected(() -> ContainerSpec.builder().namespaces(Namespace.PID).rootfs("dir:" + dir).build(true), "rootfs",
                    "rootfs = \"dir:" + dir + "\" is not accepted: host" + why);
            assertRejected(() -> ContainerSpec.builder().namespaces(Namespace.PID).bind(dir.toString(), "/d", true).build(true), "bind",
                    "bind = \"" + dir + " -> /d (read-only)\" is not accepted: binds" + why);
            assertRejected(() -> ContainerSpec.builder().namespaces(Namespace.PID).devices("/dev/null").build(true), "devices",
                    "devices = \"/dev/null (c 1:3 rwm)\" is not accepted: devices" + why);
            assertRejected(() -> ContainerSpec.builder().namespaces(Namespace.PID).readOnlyRoot(true).build(true), "readOnlyRoot",
                    "readOnlyRoot = true is not accepted: readOnlyRoot = true" + why);
        }

        @Test
        void swapBelowMemoryOrWithoutIt() {
            assertRejected(() -> ContainerSpec.builder().memorySwapLimit("64m").build(true), "memorySwap",
                    "memorySwap = \"64m\" is not accepted: a memory+swap limit only together with a memory limit");
            assertRejected(() -> ContainerSpec.builder().memoryLimit("64m").memorySwapLimit("32m").build(true), "memorySwap",
                    "memorySwap = \"32m\" is not accepted: at least memory (64m): it counts memory plus swap");
        }

        void nullNamespaces() {
            assertRejected(() -> builder.namespaces(Namespace.PID, null), "namespaces",
                    "namespaces = \"[PID, null]\" is not accepted: Namespace constants, no null");
        }
    }
}
