package io.github.junitsandbox.runtime.cgroup;

import static io.github.junitsandbox.runtime.cgroup.RealCgroupV2.keyed;
import static io.github.junitsandbox.runtime.cgroup.RealCgroupV2.pids;
import static io.github.junitsandbox.runtime.cgroup.RealCgroupV2.read;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.ContainerSpec;
import io.github.junitsandbox.runtime.ExecResult;
import io.github.junitsandbox.runtime.Namespace;
import io.github.junitsandbox.runtime.Sandboxes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Containers launched through the runtime ({@link Sandboxes}) on a kernel with the cgroup v2 unified hierarchy,
 * observed from outside through the container's cgroup files: memory.max and pids.max enforced, the OOM kill
 * counted in memory.events and reported by {@code oomKilled()}, everything in the cgroup killed at close (also a
 * process that joined it from outside the container), the subject in its cgroup when it starts.
 * As root or, in the VM lane, as a user with a delegated subtree ({@code junit.sandbox.cgroupParent}).
 */
@Tag(RealCgroupV2.TAG)
class CgroupV2ContainerTest {

    private static final Duration EXIT_BOUND = Duration.ofSeconds(60);

    private final long jvmPid = ProcessHandle.current().pid();
    private RealCgroupV2 v2;

    @BeforeEach
    void requireCgroupV2() {
        v2 = RealCgroupV2.required();
    }

    private static ContainerSpec.Builder sleeping() {
        return ContainerSpec.builder().command("/bin/sleep", "600");
    }

    private Path expectedCgroup(Container box) {
        return v2.configuredParent().resolve("junit-sandbox-" + jvmPid + "-" + box.id());
    }

    @Test
    void theMemoryLimitOomKillsAnExecAndOomKilledReadsMemoryEvents() {
        try (Container box = Sandboxes.launch(sleeping().memoryLimit("32m").build())) {
            Path cgroup = v2.cgroupOf(box.hostPid());
            assertThat(cgroup).isEqualTo(expectedCgroup(box));
            assertThat(read(cgroup.resolve("memory.max"))).isEqualTo("33554432\n");
            assertThat(box.oomKilled()).as("before any allocation").isFalse();

            ExecResult dd = box.exec("dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1");

            assertThat(dd.exitCode()).as("dd with a 128 MiB buffer: %s", dd).isEqualTo(137);
            assertThat(keyed(cgroup.resolve("memory.events"), "oom_kill")).as("memory.events, outside").isEqualTo(1);
            assertThat(box.oomKilled()).isTrue();
            assertThat(box.exec("true").exitCode()).as("the container lives on").isZero();
        }
    }

    @Test
    void aSubjectAboveTheMemoryLimitIsOomKilledAndOneBelowIsNot() {
        ContainerSpec dd = ContainerSpec.builder().command("dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1").build();
        try (Container tight = Sandboxes.launch(dd.toBuilder().memoryLimit("32m").build())) {
            assertThat(tight.awaitExit(EXIT_BOUND)).isEqualTo(137);
            assertThat(tight.oomKilled()).isTrue();
        }
        try (Container roomy = Sandboxes.launch(dd.toBuilder().memoryLimit("256m").build())) {
            assertThat(roomy.awaitExit(EXIT_BOUND)).isZero();
            assertThat(roomy.oomKilled()).isFalse();
        }
    }

    @Test
    void thePidsLimitStopsAForkLoopAndPidsEventsCountsTheRefusals() {
        try (Container box = Sandboxes.launch(sleeping().pidsLimit(16).build())) {
            Path cgroup = v2.cgroupOf(box.hostPid());
            assertThat(read(cgroup.resolve("pids.max"))).isEqualTo("16\n");

            ExecResult loop = box.exec("sh", "-c", "i=0; while [ $i -lt 100 ]; do sleep 600 < /dev/null > /dev/null 2>&1 & i=$((i+1)); done; echo all-started");

            assertThat(loop.exitCode()).as("%s", loop).isNotZero();
            assertThat(loop.stdout()).doesNotContain("all-started");
            assertThat(loop.stderr()).containsIgnoringCase("fork");
            assertThat(keyed(cgroup.resolve("pids.events"), "max")).as("pids.events, outside").isPositive();
            assertThat(Long.parseLong(read(cgroup.resolve("pids.current")).strip())).isLessThanOrEqualTo(16);
        }
    }

    @Test
    void closeKillsEveryProcessOfTheCgroupEvenOneThatJoinedItFromOutsideTheContainer() throws Exception {
        // A host process moved into the container's cgroup is in none of its namespaces: killing the container's
        // PID 1 does not reach it, only cgroup.kill does.
        Process joined = new ProcessBuilder("sleep", "600").start();
        List<Long> inCgroup;
        Path cgroup;
        try {
            try (Container box = Sandboxes.launch(sleeping().build())) {
                cgroup = v2.cgroupOf(box.hostPid());
                Files.writeString(cgroup.resolve("cgroup.procs"), Long.toString(joined.pid()));
                ExecResult background = box.exec("sh", "-c", "for i in 1 2 3; do sleep 600 < /dev/null > /dev/null 2>&1 & done; echo started");
                assertThat(background.stdout()).isEqualTo("started\n");
                inCgroup = pids(cgroup);
                assertThat(inCgroup).as("PID 1, the subject, 3 background sleeps and the joined host process, in %s", cgroup)
                        .hasSizeGreaterThanOrEqualTo(6).contains(box.hostPid(), joined.pid());
            }

            assertThat(joined.waitFor(10, TimeUnit.SECONDS)).as("the joined host process ended with the container").isTrue();
            assertThat(joined.exitValue()).as("its status (128 + SIGKILL)").isEqualTo(137);
            assertThat(inCgroup).allSatisfy(pid -> assertThat(RealCgroupV2.isDead(pid)).as("pid %d dead after close", pid).isTrue());
            assertThat(cgroup).as("the container's cgroup after close").doesNotExist();
        } finally {
            joined.destroyForcibly();
        }
    }

    @Test
    void theSubjectIsInItsCgroupWhenItStarts() {
        // No cgroup namespace: /proc/self/cgroup shows the path from the hierarchy's root, as seen before any exec.
        ContainerSpec noCgroupNamespace = ContainerSpec.builder().namespaces(Namespace.PID, Namespace.MOUNT, Namespace.UTS)
                .command("cat", "/proc/self/cgroup").build();
        try (Container box = Sandboxes.launch(noCgroupNamespace)) {
            assertThat(box.awaitExit(EXIT_BOUND)).isZero();
            assertThat(box.subjectStdout()).isEqualTo("0::/" + v2.mountPoint().relativize(expectedCgroup(box)) + "\n");
        }
        // With one, the namespace's root is the container's cgroup: it was made after the placement.
        try (Container box = Sandboxes.launch(ContainerSpec.builder().command("cat", "/proc/self/cgroup").build())) {
            assertThat(box.awaitExit(EXIT_BOUND)).isZero();
            assertThat(box.subjectStdout()).isEqualTo("0::/\n");
        }
    }
}
