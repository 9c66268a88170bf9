package io.github.junitsandbox.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.junitsandbox.runtime.os.ThisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A value the {@link ContainerSpec} builder accepts works: the container launched with it reflects it,
 * as seen from inside (exec, probes) or from outside (its cgroup files, its namespaces in /proc).
 * If a launch refuses it after all, the refusal names the attribute. Never a container with less
 * isolation than asked: every namespace asked for is a new one.
 */
class AcceptedSpecValuesLaunchTest {

    @Property(tries = 25)
    void hostname(@ForAll("hostnames") String value) {
        launched("hostname", value, () -> ContainerSpec.builder().hostname(value).build(),
                box -> assertThat(box.hostname()).isEqualTo(value));
    }

    @Property(tries = 25)
    void memory(@ForAll("memorySizes") String value) {
        launched("memory", value, () -> ContainerSpec.builder().memoryLimit(value).build(), box -> {
            long page = 4096;
            long expected = box.spec().memoryLimitBytes().getAsLong() / page * page;
            assertThat(Long.parseLong(cgroupFile(box, "memory", "memory.limit_in_bytes"))).isEqualTo(expected);
        });
    }

    @Property(tries = 25)
    void pids(@ForAll("pidLimits") int value) {
        launched("pids", value, () -> ContainerSpec.builder().pidsLimit(value).build(), box -> {
            if (value == 0) {
                assertThat(cgroupOf(box, "pids")).as("the pids cgroup of a container without a PID limit").isEqualTo("/");
            } else {
                assertThat(cgroupFile(box, "pids", "pids.max")).isEqualTo(Integer.toString(value));
            }
        });
    }

    @Property(tries = 25)
    void env(@ForAll("envEntries") String value) {
        launched("env", value, () -> ContainerSpec.builder().env(value).build(),
                box -> assertThat(box.exec("env").stdout().lines()).contains(value));
    }

    @Property(tries = 25)
    void user(@ForAll("userIds") String value) {
        launched("user", value, () -> ContainerSpec.builder().user(value).build(), box -> {
            ContainerUser user = box.spec().user().orElseThrow();
            assertThat(box.exec("sh", "-c", "echo $(id -u):$(id -g)").stdout()).isEqualTo(Integer.toUnsignedString(user.uid()) + ":"
                    + Integer.toUnsignedString(user.gid()) + "\n");
        });
    }

    @Property(tries = 25)
    void workdir(@ForAll("workdirs") String value) {
        launched("workdir", value, () -> ContainerSpec.builder().workdir(value).build(), box -> {
            try {
                assertThat(box.exec("pwd").stdout()).isEqualTo(Path.of(value).normalize() + "\n");
            } catch (SandboxException e) {
                assertThat(e.getMessage()).as("an exec refused for workdir = %s", value).contains("workdir = \"" + value + "\"");
            }
        });
    }

    @Property(tries = 15)
    void readOnlyRoot(@ForAll boolean value) {
        launched("readOnlyRoot", value, () -> ContainerSpec.builder().readOnlyRoot(value).build(),
                box -> assertThat(box.exec("touch", "/written").exitCode() == 0).isEqualTo(!value));
    }

    @Property(tries = 40)
    void namespaces(@ForAll("namespaceSets") Set<Namespace> value) {
        launched("namespaces", value, () -> ContainerSpec.builder().namespaces(value).build(), box -> {
            for (Namespace ns : box.spec().namespaces()) {
                assertThat(namespaceInside(box, ns)).as("%s namespace inside the container", ns).isNotEqualTo(namespace(Path.of("/proc/self"), ns));
            }
        });
    }

    @Property(tries = 25)
    void rootfs(@ForAll("directoryRootfses") String value) {
        launched("rootfs", value, () -> ContainerSpec.builder().rootfs(value).build(),
                box -> assertThat(box.exec("cat", "/etc/os-release").exitCode()).isZero());
    }

    @Property(tries = 25)
    void command(@ForAll("exitCodes") int code) {
        launched("command", code, () -> ContainerSpec.builder().command("sh", "-c", "exit " + code).build(),
                box -> assertThat(box.awaitExit(java.time.Duration.ofSeconds(30))).isEqualTo(code & 0xff));
    }

    /**
     * Launches what {@code build} gives when the builder accepts the value (what it rejects is
     * {@link ContainerSpecPropertiesTest}'s part); a launch that fails must name {@code attribute}.
     */
    private static void launched(String attribute, Object value, Supplier<ContainerSpec> build, Consumer<Container> reflects) {
        Assume.that(ThisProcess.isRoot());
        Optional<ContainerSpec> spec = ContainerSpecPropertiesTest.accepted(attribute, value, build);
        Assume.that(spec.isPresent());
        Container box;
        try {
            box = Sandboxes.launch(spec.get());
        } catch (SandboxException e) {
            assertThat(e.getMessage()).as("the launch refusing %s = %s", attribute, value).contains(attribute);
            return;
        } catch (RuntimeException e) {
            throw new AssertionError("unexplained " + e + " launching " + attribute + " = " + value, e);
        }
        try (box) {
            reflects.accept(box);
        }
    }

    private static String cgroupFile(Container box, String controller, String file) {
        try {
            return Files.readString(Path.of("/sys/fs/cgroup", controller, cgroupOf(box, controller), file)).strip();
        } catch (IOException e) {
            throw new AssertionError("cannot read the " + controller + " cgroup of " + box, e);
        }
    }

    /** The container's PID 1's cgroup in the v1 hierarchy of {@code controller}, as the host sees it. */
    private static String cgroupOf(Container box, String controller) {
        try {
            return Files.readAllLines(Path.of("/proc/" + box.hostPid() + "/cgroup")).stream()
                    .map(l -> l.split(":", 3)).filter(f -> List.of(f[1].split(",")).contains(controller)).findFirst().orElseThrow()[2];
        } catch (IOException e) {
            throw new AssertionError("cannot read the cgroups of " + box, e);
        }
    }

    /**
     * The namespace an exec'd process is in, as it reads its own link (nsfs inode numbers are the same
     * from everywhere). A new time namespace is entered by the children of whoever made it, so PID 1's
     * own link, read from outside, is no witness.
     */
    private static String namespaceInside(Container box, Namespace ns) {
        return box.exec("readlink", "/proc/self/ns/" + procName(ns)).stdout().strip();
    }

    private static String namespace(Path process, Namespace ns) {
        try {
            return Files.readSymbolicLink(process.resolve("ns").resolve(procName(ns))).toString();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + process.resolve("ns").resolve(procName(ns)), e);
        }
    }

    private static String procName(Namespace ns) {
        return switch (ns) {
            case MOUNT -> "mnt";
            default -> ns.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    @Provide
    Arbitrary<String> hostnames() {
        return Arbitraries.strings().withChars("abcxyzABC0189.-").ofMinLength(1).ofMaxLength(64);
    }

    @Provide
    Arbitrary<String> memorySizes() {
        return Arbitraries.oneOf(Arbitraries.longs().between(1, 1L << 20).map(n -> n + "k"),
                Arbitraries.longs().between(1, 4096).map(n -> n + "m"), Arbitraries.longs().between(1, 1L << 40).map(String::valueOf),
                Arbitraries.of("1", "4096", "1g", "8g", "9223372036854775807"));
    }

    @Provide
    Arbitrary<Integer> pidLimits() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 4_194_304), Arbitraries.of(0, 1, 2, 4_194_304));
    }

    @Provide
    Arbitrary<String> envEntries() {
        Arbitrary<String> key = Arbitraries.strings().withChars("ABCxyz_019").ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> value = Arbitraries.strings().ascii().excludeChars('\n', '\r', '\0').ofMaxLength(40);
        return Combinators.combine(key, value).as((k, v) -> k + "=" + v);
    }

    @Provide
    Arbitrary<String> userIds() {
        Arbitrary<Long> id = Arbitraries.oneOf(Arbitraries.longs().between(0, 70_000), Arbitraries.of(0L, 65534L, 2147483647L, 4294967294L));
        return Arbitraries.oneOf(id.map(String::valueOf), Combinators.combine(id, id).as((u, g) -> u + ":" + g));
    }

    @Provide
    Arbitrary<String> workdirs() {
        return Arbitraries.oneOf(Arbitraries.of("/", "/tmp", "/etc", "/usr/bin", "/nonexistent", "/tmp/../etc", "/proc"),
                Arbitraries.strings().withChars("abc-_.").ofMinLength(1).ofMaxLength(20).map(s -> "/tmp/" + s));
    }

    @Provide
    Arbitrary<Set<Namespace>> namespaceSets() {
        return Arbitraries.subsetOf(EnumSet.allOf(Namespace.class));
    }

    @Provide
    Arbitrary<String> directoryRootfses() {
        return Arbitraries.oneOf(Arbitraries.of("host", "dir:/", "dir:/nonexistent", "dir:/etc/hostname", "dir:", "dir:relative", "dir:/tmp/\u00e9t\u00e9"),
                Arbitraries.strings().all().ofMaxLength(10).map(s -> "dir:/" + s));
    }

    @Provide
    Arbitrary<Integer> exitCodes() {
        return Arbitraries.integers().between(0, 255);
    }
}
