package io.github.junitsandbox;

import static io.github.junitsandbox.SandboxAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.junitsandbox.Observed.Sighting;
import io.github.junitsandbox.runtime.Container;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** A failed test's report carries its container: the spec in force and the tail of the subject's output. */
class SandboxReportingTest {

    @KitSubject
    @Sandbox(hostname = "reported", command = {"sh", "-c", "echo started on stdout; echo complaint on stderr >&2; exec sleep 3600"})
    static class FailingWithASubject {
        @Test
        void fails(Container box) {
            Observed.container(FailingWithASubject.class, "fails", box);
            box.exec("sleep", "0.3"); // gives the subject time to write; its output is what the report must show
            assertThat(box).hasHostname("elsewhere");
        }

        @Test
        void passes(Container box) {
            assertThat(box).hasHostname("reported");
        }
    }

    private static Map<String, String> reportOf(EngineExecutionResults results, String test) {
        return results.allEvents().reportingEntryPublished()
                .filter(e -> e.getTestDescriptor().getDisplayName().startsWith(test))
                .map(e -> e.getPayload(ReportEntry.class))
                .flatMap(Optional::stream)
                .flatMap(entry -> entry.getKeyValuePairs().entrySet().stream())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Test
    void aFailedTestReportsItsContainerSpecAndOutput() {
        EngineExecutionResults results = KitRun.run(FailingWithASubject.class);

        results.testEvents().assertStatistics(s -> s.failed(1).succeeded(1));
        Map<String, String> report = reportOf(results, "fails");
        assertThat(report.get("junit.sandbox.spec")).contains("reported");
        assertThat(report.get("junit.sandbox.layer")).as("rootfs host has no layer").isEqualTo("none");
        // a plain user without a delegated cgroup gets the default PID limit as RLIMIT_NPROC
        assertThat(report.get("junit.sandbox.pids")).isIn("1024 (pids.max of the container's cgroup)",
                "1024 (RLIMIT_NPROC in the container's own user namespace: no pids cgroup is delegated to this user)");
        // a plain user can set no device cgroup; its containers cannot make device nodes at all
        assertThat(report.get("junit.sandbox.devices")).isIn("the devices controller of the container's cgroup (v1)",
                "a device program (BPF_PROG_TYPE_CGROUP_DEVICE) on the container's cgroup (v2)",
                "no device cgroup: every mount the container can write is nodev, and a plain user's container cannot make device nodes at all");
        assertThat(report.get("junit.sandbox.stdout")).isEqualTo("started on stdout");
        assertThat(report.get("junit.sandbox.stderr")).isEqualTo("complaint on stderr");
        assertThat(report.get("junit.sandbox.container")).startsWith(Observed.takeFrom(FailingWithASubject.class).get(0).containerId());
        assertThat(reportOf(results, "passes")).isEmpty();
    }

    @KitSubject
    @Sandbox(command = {"sleep", "3600"})
    @Bind(source = "/usr", target = "/usr")
    static class FailingInADirectoryRootfs {
        @Test
        void fails(Container box) {
            assertThat(box).hasHostname("elsewhere");
        }
    }

    /** A rootfs directory as merged-/usr Debian has it, its /usr bound from the host. */
    private static String directoryRootfs(Path root) throws IOException {
        for (String dir : List.of("bin", "sbin", "lib", "lib64")) {
            Files.createSymbolicLink(root.resolve(dir), Path.of("usr", dir));
        }
        Files.createDirectory(root.resolve("usr"));
        return "dir:" + root;
    }

    @Test
    void aFailedTestReportsTheLayerThatTookItsWrites(@TempDir Path root) throws IOException {
        String rootfs = directoryRootfs(root);

        EngineExecutionResults overlaid = KitRun.run(Map.of("junit.sandbox.rootfs", rootfs), FailingInADirectoryRootfs.class);
        EngineExecutionResults copied = KitRun.run(Map.of("junit.sandbox.rootfs", rootfs, "junit.sandbox.layer", "copy"),
                FailingInADirectoryRootfs.class);

        overlaid.testEvents().assertStatistics(s -> s.failed(1));
        assertThat(reportOf(overlaid, "fails").get("junit.sandbox.layer")).isEqualTo("overlay");
        copied.testEvents().assertStatistics(s -> s.failed(1));
        assertThat(reportOf(copied, "fails").get("junit.sandbox.layer")).isEqualTo("copy");
    }

    @KitSubject
    @Sandbox
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class KeptAfterFailure {
        @Test
        @Order(1)
        void fails(Container box) {
            Observed.container(KeptAfterFailure.class, "fails", box);
            throw new AssertionError("failing on purpose");
        }

        @Test
        @Order(2)
        void findsTheFailedContainerStillRunning() {
            Sighting failed = Observed.seenBy(KeptAfterFailure.class).get(0);
            assertThat(ProcessHandle.of(failed.hostPid())).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        }
    }

    @Test
    void keepOnFailureKeepsTheContainerUntilTheEndOfTheRunAndSaysHowToEnterIt() {
        EngineExecutionResults results = KitRun.run(Map.of("junit.sandbox.keepOnFailure", "true"), KeptAfterFailure.class);

        results.testEvents().assertStatistics(s -> s.failed(1).succeeded(1));
        Sighting failed = Observed.takeFrom(KeptAfterFailure.class).get(0);
        assertThat(reportOf(results, "fails").get("junit.sandbox.kept"))
                .contains("kept running until the end of the test run", "nsenter --target " + failed.hostPid());
        assertThat(HostTraces.of(failed.containerId(), failed.hostPid())).as("closed at the end of the run").isEmpty();
    }

    @Test
    void withoutKeepOnFailureTheFailedContainerIsClosedRightAway() {
        EngineExecutionResults results = KitRun.run(KeptAfterFailure.class);

        results.testEvents().assertStatistics(s -> s.failed(2));
        Observed.takeFrom(KeptAfterFailure.class);
    }
}
