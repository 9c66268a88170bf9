package io.github.junitsandbox.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.junitsandbox.runtime.os.ThisProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Many launches leave the host as it was: processes, mounts, cgroups, temporary directories. */
class NoLeakTest {

    private static final int LAUNCHES = 200;

    @Test
    void twoHundredLaunchesLeaveNothingBehind() throws IOException {
        assumeTrue(ThisProcess.isRoot(), "creates cgroups under the hierarchy's root: run as root (CI does)");
        SandboxRuntime runtime = Sandboxes.defaultRuntime();
        ContainerSpec spec = ContainerSpec.builder().memoryLimit("64m").command("/bin/true").build();
        ContainerSpec idle = ContainerSpec.builder().build();
        HostState before = HostState.afterAWarmUpLaunch(runtime);

        for (int i = 0; i < LAUNCHES; i++) {
            try (Container c = runtime.launch(i % 2 == 0 ? spec : idle)) {
                if (i % 2 == 0) {
                    assertThat(c.awaitExit(Duration.ofSeconds(10))).isZero();
                } else {
                    assertThat(c.exec("true").exitCode()).isZero();
                }
            }
        }

        assertThat(HostState.now(runtime.stateDir())).isEqualTo(before);
    }

    @Test
    void launchesFromSeveralThreadsAtOnceEachGetTheirOwnContainer() throws Exception {
        assumeTrue(ThisProcess.isRoot(), "creates cgroups under the hierarchy's root: run as root (CI does)");
        SandboxRuntime runtime = Sandboxes.defaultRuntime();
        ContainerSpec spec = ContainerSpec.builder().command("/bin/sleep", "300").build();
        HostState before = HostState.afterAWarmUpLaunch(runtime);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> hostnames = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String name = "box-" + i;
                hostnames.add(threads.submit(() -> {
                    try (Container c = runtime.launch(spec.toBuilder().hostname(name).build())) {
                        return c.hostname() + " " + c.visiblePids();
                    }
                }));
            }
            List<String> seen = new ArrayList<>();
            for (Future<String> hostname : hostnames) {
                seen.add(hostname.get(60, TimeUnit.SECONDS));
            }
            assertThat(seen).containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> "box-" + i + " [1, 2]").toList());
        } finally {
            threads.shutdownNow();
        }
        assertThat(HostState.now(runtime.stateDir())).isEqualTo(before);
    }

    /** What a container could leave behind on the host, as far as this JVM's things go. */
    private record HostState(long descendants, long mounts, List<String> cgroups, List<String> stateEntries) {

        /** After one launch: what exists once per JVM (the launcher extracted, per-JVM parents) is there from then on. */
        static HostState afterAWarmUpLaunch(SandboxRuntime runtime) throws IOException {
            try (Container warmUp = runtime.launch(ContainerSpec.builder().memoryLimit("64m").command("/bin/true").build())) {
                warmUp.awaitExit(Duration.ofSeconds(10));
            }
            return now(runtime.stateDir());
        }

        static HostState now(Path stateDir) throws IOException {
            long mounts;
            try (Stream<String> lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
                mounts = lines.count();
            }
            List<String> cgroups;
            try (Stream<Path> tree = Files.walk(Path.of("/sys/fs/cgroup"), 3)) {
                cgroups = tree.map(Path::toString).filter(p -> p.contains("junit-sandbox-" + ProcessHandle.current().pid())).sorted().toList();
            }
            List<String> stateEntries;
            try (Stream<Path> entries = Files.list(stateDir)) {
                stateEntries = entries.map(Path::toString).filter(p -> p.contains("junit-sandbox-" + ProcessHandle.current().pid())).sorted().toList();
            }
            return new HostState(ProcessHandle.current().descendants().count(), mounts, cgroups, stateEntries);
        }
    }
}
