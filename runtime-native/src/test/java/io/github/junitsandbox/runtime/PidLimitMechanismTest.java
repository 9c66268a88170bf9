package io.github.junitsandbox.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.junitsandbox.runtime.seccomp.KernelVersion;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which mechanism enforces a spec's PID limit, by what the host offers. */
class PidLimitMechanismTest {

    private static final Optional<String> NO_CGROUPS = Optional.of("rootless, and not delegated");
    private static final KernelVersion NEW = new KernelVersion(6, 1);
    private static final KernelVersion OLD = new KernelVersion(5, 10);

    private static ContainerSpec rootless(ContainerSpec.Builder builder) {
        return builder.build(false);
    }

    @Test
    void theCgroupWheneverOneCanBeMade() {
        assertThat(PidLimitMechanism.choose(rootless(ContainerSpec.builder()), Optional.empty(), () -> NEW)).isEqualTo(PidLimitMechanism.CGROUP);
    }

    @Test
    void theDefaultLimitFallsBackToRlimitNprocWithoutCgroups() {
        assertThat(PidLimitMechanism.choose(rootless(ContainerSpec.builder()), NO_CGROUPS, () -> NEW)).isEqualTo(PidLimitMechanism.RLIMIT_NPROC);
    }

    @Test
    void aGivenLimitStaysWithTheCgroupSoThatItsLaunchFailsWhereNoneCanBeMade() {
        assertThat(PidLimitMechanism.choose(rootless(ContainerSpec.builder().pidsLimit(1024)), NO_CGROUPS, () -> NEW))
                .isEqualTo(PidLimitMechanism.CGROUP);
    }

    @Test
    void beforeLinux514TheCountIsPerUserNotPerNamespaceSoNoFallback() {
        assertThat(PidLimitMechanism.choose(rootless(ContainerSpec.builder()), NO_CGROUPS, () -> OLD)).isEqualTo(PidLimitMechanism.CGROUP);
    }

    @Test
    void withoutAUserNamespaceTheCountWouldBeTheUsersSoNoFallback() {
        assertThat(PidLimitMechanism.choose(ContainerSpec.builder().build(true), NO_CGROUPS, () -> NEW)).isEqualTo(PidLimitMechanism.CGROUP);
    }

    @Test
    void noLimitNeedsNoMechanism() {
        assertThat(PidLimitMechanism.choose(rootless(ContainerSpec.builder().pidsLimit(0)), NO_CGROUPS, () -> OLD)).isEqualTo(PidLimitMechanism.NONE);
        assertThat(PidLimitMechanism.NONE.describe(0)).isEqualTo("no limit");
        assertThat(PidLimitMechanism.RLIMIT_NPROC.describe(1024)).startsWith("1024 (RLIMIT_NPROC in the container's own user namespace");
    }
}
