package io.github.junitsandbox;

import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.ContainerSpec;
import io.github.junitsandbox.runtime.ExecResult;
import io.github.junitsandbox.runtime.KillPermission;
import io.github.junitsandbox.runtime.ProcessEntry;
import io.github.junitsandbox.runtime.DeviceGuard;
import io.github.junitsandbox.runtime.PidLimitMechanism;
import io.github.junitsandbox.runtime.RootLayer;
import io.github.junitsandbox.runtime.SandboxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A container that answers with recorded observations, used ONLY to check how assertion failures
 * are worded (expected and actual side by side, the process table, the stderr). It launches
 * nothing: every behaviour of the extension is tested against real containers through the
 * EngineTestKit, never against this.
 */
record RecordedContainer(String hostname, List<ProcessEntry> processes, Map<Long, KillPermission> killAnswers,
        boolean oomKilled, Integer exitStatus, String subjectStderr) implements Container {

    static RecordedContainer withHostname(String hostname) {
        return new RecordedContainer(hostname, List.of(), Map.of(), false, 0, "");
    }

    @Override
    public String id() {
        return "c7";
    }

    @Override
    public ContainerSpec spec() {
        return ContainerSpec.builder().build();
    }

    @Override
    public RootLayer layer() {
        return RootLayer.NONE;
    }

    @Override
    public PidLimitMechanism pidLimit() {
        return PidLimitMechanism.CGROUP;
    }

    @Override
    public DeviceGuard deviceGuard() {
        return DeviceGuard.DEVICES_CONTROLLER;
    }

    @Override
    public String ociConfig() {
        throw new UnsupportedOperationException("a recorded container has no launch plan");
    }

    @Override
    public long hostPid() {
        return 4242;
    }

    @Override
    public ExecResult exec(String... argv) {
        throw new UnsupportedOperationException("a recorded container runs nothing");
    }

    @Override
    public Process start(String... argv) {
        throw new UnsupportedOperationException("a recorded container runs nothing");
    }

    @Override
    public List<Long> visiblePids() {
        return processes.stream().map(ProcessEntry::pid).toList();
    }

    @Override
    public KillPermission tryKill(long pid, int signal) {
        return killAnswers.getOrDefault(pid, KillPermission.NOT_VISIBLE);
    }

    @Override
    public int awaitExit(Duration timeout) {
        if (exitStatus == null) {
            throw new SandboxException("the subject is still running after " + timeout);
        }
        return exitStatus;
    }

    @Override
    public String subjectStdout() {
        return "";
    }

    @Override
    public void close() {
        // nothing was started
    }
}
