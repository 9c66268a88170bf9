package io.github.junitsandbox.runtime.cgroup;

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
