package io.github.junitsandbox.runtime.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What a real-kernel test started, torn down after it whatever its outcome: processes killed and reaped
 * first (a cgroup with processes cannot be removed), then the cgroups removed.
 */
final class ProcessesAndCgroups implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();
    private final List<ContainerCgroup> cgroups = new ArrayList<>();

    Process track(Process process) {
        processes.add(process);
        return process;
    }

    ContainerCgroup track(ContainerCgroup cgroup) {
        cgroups.add(cgroup);
        return cgroup;
    }

    /**
     * Starts {@code sh -c script} held at its first line ({@code read go}), places it in every directory of the
     * cgroup as the launcher does, and lets it go: whatever it runs is in the container's cgroups from its first
     * instruction.
     */
    Process startInside(ContainerCgroup cgroup, String script) throws IOException {
        Process sh = track(new ProcessBuilder("sh", "-c", "read go; " + script).start());
        for (Path dir : cgroup.directories()) {
            Files.writeString(dir.resolve("cgroup.procs"), Long.toString(sh.pid()));
        }
        sh.getOutputStream().write("go\n".getBytes(StandardCharsets.US_ASCII));
        sh.getOutputStream().flush();
        return sh;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (ContainerCgroup cgroup : cgroups) {
            try {
                cgroup.killAll();
                cgroup.remove();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
