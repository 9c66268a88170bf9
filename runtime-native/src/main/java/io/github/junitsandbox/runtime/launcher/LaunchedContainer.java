package io.github.junitsandbox.runtime.launcher;

import io.github.junitsandbox.runtime.UnsupportedHostException;
import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.ContainerSpec;
import io.github.junitsandbox.runtime.DeviceGuard;
import io.github.junitsandbox.runtime.ExecResult;
import io.github.junitsandbox.runtime.KillPermission;
import io.github.junitsandbox.runtime.Namespace;
import io.github.junitsandbox.runtime.ProcessEntry;
import io.github.junitsandbox.runtime.PidLimitMechanism;
import io.github.junitsandbox.runtime.RootLayer;
import io.github.junitsandbox.runtime.SandboxException;
import io.github.junitsandbox.runtime.cgroup.ContainerCgroup;
import io.github.junitsandbox.runtime.os.LibC;
import io.github.junitsandbox.runtime.os.LauncherProcesses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A container started by {@code sandbox-init run}: the launcher process (the supervisor) whose
 * stdin is the lifeline and whose stdout is the control channel, and whatever was entered into it
 * since. Every blocking call is bounded.
 */
public final class LaunchedContainer implements Container {

    /** How long the launcher may take to report {@code ready}: a mount plan, not a workload. */
    static final Duration READY_BOUND = Duration.ofSeconds(30);
    /** How long a probe may take. */
    static final Duration PROBE_BOUND = Duration.ofSeconds(30);
    /** How long an exec may take when the spec gives no timeout. */
    static final Duration DEFAULT_EXEC_BOUND = Duration.ofMinutes(5);
    /** How long each step of {@link #close()} waits for processes to go. */
    static final Duration TEARDOWN_BOUND = Duration.ofSeconds(10);

    private static final int OUTPUT_TAIL_BYTES = 64 * 1024;

    private final String id;
    private final ContainerSpec spec;
    private final LaunchPlan plan;
    private final ContainerCgroup cgroup;
    private final ContainerStateDir state;
    private final Consumer<LaunchedContainer> onClose;
    private final Process supervisor;
    private final OutputStream lifeline;
    private final List<Process> started = new ArrayList<>();
    private final long hostPid;
    private final long subjectPid;
    private final CompletableFuture<Integer> exit;

    private boolean closed;
    private String stdoutAtClose = "";
    private String stderrAtClose = "";
    private boolean oomKilledAtClose;

    private LaunchedContainer(String id, ContainerSpec spec, LaunchPlan plan, ContainerCgroup cgroup, ContainerStateDir state,
            Consumer<LaunchedContainer> onClose, Process supervisor, ControlEvent.Ready ready, BufferedReader control) {
        this.id = id;
        this.spec = spec;
        this.plan = plan;
        this.cgroup = cgroup;
        this.state = state;
        this.onClose = onClose;
        this.supervisor = supervisor;
        this.lifeline = supervisor.getOutputStream();
        this.hostPid = ready.initPid();
        this.subjectPid = ready.subjectPid();
        this.exit = CompletableFuture.supplyAsync(() -> awaitExitEvent(control), LauncherThreads.READERS);
    }

    /**
     * Starts the launcher and waits for {@code ready}.
     *
     * @param onClose called once the container is gone (or failed to start)
     * @throws SandboxException with the launcher's step and errno when setting up failed
     */
    public static LaunchedContainer launch(String id, ContainerSpec spec, LaunchPlan plan, ContainerCgroup cgroup, ContainerStateDir state,
            Consumer<LaunchedContainer> onClose) {
        Process supervisor;
        try {
            supervisor = LauncherProcesses.start(plan.runCommand(), true, state.launcherStderr());
        } catch (IOException e) {
            throw new SandboxException("cannot start " + plan.runCommand().get(0) + ": " + e.getMessage(), e);
        }
        BufferedReader control = new BufferedReader(new InputStreamReader(supervisor.getInputStream(), StandardCharsets.US_ASCII));
        ControlEvent first;
        try {
            first = firstEvent(supervisor, control, state);
        } catch (RuntimeException e) {
            destroyAndAwait(supervisor);
            closeQuietly(control);
            throw e;
        }
        if (first instanceof ControlEvent.Ready ready) {
            return new LaunchedContainer(id, spec, plan, cgroup, state, onClose, supervisor, ready, control);
        }
        if (first instanceof ControlEvent.Failed failed) {
            // after `error` the launcher kills what it started and exits by itself
            awaitQuietly(supervisor);
            closeQuietly(control);
            throw setupFailure(failed.error(), spec);
        }
        destroyAndAwait(supervisor);
        closeQuietly(control);
        throw new SandboxProtocolException(first.toString());
    }

    private static ControlEvent firstEvent(Process supervisor, BufferedReader control, ContainerStateDir state) {
        var watchdog = LauncherThreads.WATCHDOG.schedule(supervisor::destroyForcibly, READY_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        try {
            String line = control.readLine();
            if (!watchdog.cancel(false)) {
                throw new SandboxException("sandbox-init did not report ready within " + READY_BOUND + "; killed it");
            }
            if (line == null) {
                int status = awaitQuietly(supervisor);
                throw new SandboxException("sandbox-init exited with status " + status + " before the container was ready: "
                        + tail(state.launcherStderr()).strip());
            }
            return ControlEvent.parse(line);
        } catch (IOException e) {
            supervisor.destroyForcibly();
            throw new SandboxException("cannot read sandbox-init's control channel: " + e.getMessage(), e);
        }
    }

    /** A spawned process's pipes are closed by their reader, not when it exits: here the reader gives up. */
    private static void closeQuietly(BufferedReader control) {
        try {
            control.close();
        } catch (IOException e) {
            // closing a pipe end cannot fail in a way that matters here
        }
    }

    private static SandboxException setupFailure(LauncherError error, ContainerSpec spec) {
        SandboxException explained = SetupFailureExplanation.exception("", error);
        String message = withWorkdirHint(explained.getMessage(), spec);
        if (error.step().startsWith("mount(overlay,")) {
            return new OverlayRefusedException(message);
        }
        if (error.refusedUserNamespace() && spec.namespaces().contains(Namespace.USER)) {
            return new UnsupportedHostException(message + ": " + new UserNamespaceDiagnosis(Path.of("/proc/sys")).explain());
        }
        return explained instanceof UnsupportedHostException ? new UnsupportedHostException(message) : new SandboxException(message);
    }

    private int awaitExitEvent(BufferedReader control) {
        try (control) {
            for (String line = control.readLine(); line != null; line = control.readLine()) {
                if (ControlEvent.parse(line) instanceof ControlEvent.Exited exited) {
return exited.status();
                }
            }
            // no exit line: the supervisor itself died (EOF: it is exiting); its status is what there is to report
            return awaitQuietly(supervisor);
        } catch (IOException e) {
            return awaitQuietly(supervisor);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public ContainerSpec spec() {
        return spec;
    }

    @Override
    public RootLayer layer() {
        return plan.rootLayer();
    }

    @Override
    public PidLimitMechanism pidLimit() {
        return plan.pidLimit();
    }

    @Override
    public DeviceGuard deviceGuard() {
        return cgroup.deviceGuard();
    }

    @Override
    public String ociConfig() {
        return OciConfig.of(spec, plan);
    }

    @Override
    public long hostPid() {
        return hostPid;
    }

    /** The host PID of the subject, or 0 for an idle container. */
    public long subjectHostPid() {
        return subjectPid;
    }

    @Override
    public ExecResult exec(String... argv) {
        requireOpen();
        try {
            return EnteringProcess.run(plan.execCommand(hostPid, List.of(argv)), spec.timeout().orElse(DEFAULT_EXEC_BOUND),
                    "exec " + Arrays.toString(argv) + " in container " + id);
        } catch (SandboxException e) {
            String message = withWorkdirHint(e.getMessage(), spec);
            throw message.equals(e.getMessage()) ? e : new SandboxException(message, e);
        }
    }

    /** The spec accepts any absolute workdir; only entering it tells whether the rootfs has it: then the failure names the attribute. */
    private static String withWorkdirHint(String message, ContainerSpec spec) {
        return spec.workdir().filter(dir -> message.contains("chdir(" + dir + ")"))
                .map(dir -> message + "; workdir = \"" + dir + "\" is not a directory in the container's root filesystem")
                .orElse(message);
    }

    @Override
    public Process start(String... argv) {
        synchronized (this) {
            requireOpen();
            try {
                Process process = new ProcessBuilder(plan.execCommand(hostPid, List.of(argv))).start();
                started.add(process);
                return process;
            } catch (IOException e) {
                throw new SandboxException("start " + Arrays.toString(argv) + " in container " + id + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public List<Long> visiblePids() {
        return processes().stream().map(ProcessEntry::pid).toList();
    }

    @Override
    public List<ProcessEntry> processes() {
        return ProbeOutput.processes(probe("pids"));
    }

    @Override
    public String hostname() {
        return ProbeOutput.hostname(probe("hostname"));
    }

    @Override
    public KillPermission tryKill(long pid, int signal) {
        return ProbeOutput.killPermission(probe("kill", Long.toString(pid), Integer.toString(signal)));
    }

    private String probe(String... probe) {
        requireOpen();
        ExecResult result = EnteringProcess.run(plan.probeCommand(hostPid, probe), PROBE_BOUND, "probe " + String.join(" ", probe) + " in container " + id);
        if (result.exitCode() != 0) {
            throw new SandboxException("probe " + String.join(" ", probe) + " in container " + id + " exited with " + result.exitCode()
                    + ": " + result.stderr().strip());
        }
        return result.stdout();
    }

    @Override
    public int awaitExit(Duration timeout) {
        try {
            return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SandboxException("container " + id + ": " + (subjectPid == 0 ? "PID 1" : "the subject") + " is still running after " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("container " + id + ": interrupted while waiting for its exit", e);
        } catch (ExecutionException e) {
            throw new SandboxException("container " + id + ": cannot read its exit status: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public synchronized boolean oomKilled() {
        return closed ? oomKilledAtClose : cgroup.oomKilled();
    }

    @Override
    public synchronized String subjectStdout() {
        return closed ? stdoutAtClose : tail(state.stdout());
    }

    @Override
    public synchronized String subjectStderr() {
        return closed ? stderrAtClose : tail(state.stderr());
    }

    /**
     * Kills PID 1 (the kernel then kills the rest of the PID namespace) and what {@link #start} began,
     * lets the launcher go, empties and removes the cgroup, deletes the state directory. Each wait bounded.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            // Until `exit` is seen PID 1 is unreaped, so hostPid is still its; the supervisor reaps it just before it
            // writes `exit`, and the pid cannot be handed out again before the kernel's pid counter has wrapped.
            if (!exit.isDone()) {
                LibC.sendSignal(hostPid, LibC.SIGKILL);
                if (subjectPid != 0 && !spec.namespaces().contains(Namespace.PID)) {
                    LibC.sendSignal(subjectPid, LibC.SIGKILL);
                }
            }
            started.forEach(LaunchedContainer::destroyAndAwait);
            awaitQuietly(exit);
            stdoutAtClose = tail(state.stdout());
            stderrAtClose = tail(state.stderr());
            // The cgroup before the supervisor: it is in the JVM's cgroup, and after the exit line it has only the
            // container's mount namespace left to tear down, which it does meanwhile (docs/launcher-protocol.md).
            try {
                cgroup.killAll();
                cgroup.remove();
            } finally {
                // remove() keeps what the counters said as it removed them (a SIGKILL is no OOM kill): no second read
                oomKilledAtClose = cgroup.oomKilled();
                closeLifeline();
                destroyAndAwait(supervisor);
            }
            deleteContainerFiles();
        } finally {
            closed = true;
            onClose.accept(this);
        }
    }

    private void deleteContainerFiles() {
        try {
            state.deleteContainerFiles();
        } catch (IOException e) {
            throw new SandboxException("container " + id + ": cannot delete " + state.directory() + ": " + e.getMessage(), e);
        }
    }

    private void closeLifeline() {
        try {
            lifeline.close();
        } catch (IOException e) {
            // the supervisor is gone already: its end of the pipe is closed, which is what closing ours is for
        }
    }

    private void requireOpen() {
        synchronized (this) {
            if (closed) {
                throw new SandboxException("container " + id + " is closed");
            }
        }
    }

    private static void destroyAndAwait(Process process) {
        try {
            if (!process.waitFor(0, TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(TEARDOWN_BOUND.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int awaitQuietly(Process process) {
        try {
            if (process.waitFor(TEARDOWN_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
            process.destroyForcibly();
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void awaitQuietly(CompletableFuture<Integer> exit) {
        try {
            exit.get(TEARDOWN_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the supervisor is destroyed next, whatever PID 1 did
        }
    }

    /** The last 64 KiB of a file, or "" if it is gone. */
    static String tail(Path file) {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            long start = Math.max(0, length - OUTPUT_TAIL_BYTES);
            byte[] bytes = new byte[(int) (length - start)];
            in.seek(start);
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return "container " + id + " (host pid " + hostPid + ")";
    }
}
