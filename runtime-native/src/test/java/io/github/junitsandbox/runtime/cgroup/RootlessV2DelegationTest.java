package io.github.junitsandbox.runtime.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.ContainerSpec;
import io.github.junitsandbox.runtime.PidLimitMechanism;
import io.github.junitsandbox.runtime.Sandboxes;
import io.github.junitsandbox.runtime.UnsupportedHostException;
import io.github.junitsandbox.runtime.os.ThisProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A plain user's build on cgroup v2 with nothing configured, as the VM lane runs it ({@code .ci/vm-lane/guest/lane.sh}
 * sets {@value #PROPERTY}): its JVM alone in a cgroup delegated to the user, as under
 * {@code systemd-run --user --scope -p Delegate=yes mvn verify} ({@code delegated}), or in one that is root's
 * ({@code undelegated}). Aborted elsewhere, and in the lane's other runs.
 */
@Tag(RootlessV2DelegationTest.TAG)
class RootlessV2DelegationTest {

    static final String TAG = "cgroup-v2-delegation";
    static final String PROPERTY = "sandbox.lane.cgroup";

    private RealCgroupV2 v2;

    @BeforeEach
    void aPlainUserOnCgroupV2InTheLane() {
        assumeTrue(System.getProperty(PROPERTY) != null, () -> "run by the VM lane, which sets " + PROPERTY);
        v2 = RealCgroupV2.required();
        assertThat(ThisProcess.isRoot()).as("the lane runs this as a plain user").isFalse();
    }

    /** The JVM's cgroup holds the JVM: the runtime moves it to junit-sandbox-processes, and the limit is the cgroup's. */
    @Test
    void inItsOwnDelegatedCgroupAnExplicitMemoryLimitHolds() throws Exception {
        assumeTrue("delegated".equals(System.getProperty(PROPERTY)), "the lane's delegated run");
        Path own = v2.cgroupOf(ProcessHandle.current().pid());
        ContainerSpec bomb = ContainerSpec.builder().memoryLimit("32m").pidsLimit(64)
                .command("sh", "-c", "dd if=/dev/zero of=/dev/null bs=64M count=1").build();

        try (Container box = Sandboxes.launch(bomb)) {
            assertThat(box.awaitExit(Duration.ofSeconds(60))).as("exit status of dd, 64 MiB at once under a 32 MiB limit").isEqualTo(137);
            assertThat(box.oomKilled()).isTrue();
            assertThat(box.pidLimit()).isEqualTo(PidLimitMechanism.CGROUP);
        }
        assertThat(v2.cgroupOf(ProcessHandle.current().pid())).as("this JVM's cgroup after the launch")
                .isEqualTo(own.resolve(CgroupV2Driver.PROCESSES_LEAF));
        assertThat(Files.readString(own.resolve("cgroup.subtree_control"))).contains("memory", "pids");
    }

    @Test
    void inACgroupNotDelegatedAnExplicitLimitFailsNamingSystemdRunAndTheDefaultsStillRun() {
        assumeTrue("undelegated".equals(System.getProperty(PROPERTY)), "the lane's undelegated run");

        assertThatThrownBy(() -> Sandboxes.launch(ContainerSpec.builder().memoryLimit("32m").command("true").build()))
                .isInstanceOf(UnsupportedHostException.class)
                .hasMessageContaining("is not delegated to it (not writable)")
                .hasMessageContaining("systemd-run --user --scope -p Delegate=yes mvn verify");
        try (Container box = Sandboxes.launch(ContainerSpec.builder().command("true").build())) {
            assertThat(box.awaitExit(Duration.ofSeconds(60))).isZero();
            assertThat(box.pidLimit()).isEqualTo(PidLimitMechanism.RLIMIT_NPROC);
        }
    }
}
