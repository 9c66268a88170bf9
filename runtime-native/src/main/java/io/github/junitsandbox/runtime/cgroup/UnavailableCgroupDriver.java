package io.github.junitsandbox.runtime.cgroup;

import io.github.junitsandbox.runtime.UnsupportedHostException;
import io.github.junitsandbox.runtime.SandboxException;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * Where this JVM cannot make cgroups (none mounted, or rootless without a delegated one): containers
 * without limits get none, and asking for a limit fails with the reason and the fix, never silently runs
 * without it.
 */
public final class UnavailableCgroupDriver implements CgroupDriver {

    private final String reason;

    /** @param reason what is missing and how to get it */
    public UnavailableCgroupDriver(String reason) {
        this.reason = reason;
    }

    @Override
    public ContainerCgroup create(String containerId, CgroupLimits limits) {
        CgroupNames.checkedContainerId(containerId);
        if (!limits.isEmpty()) {
            throw new UnsupportedHostException("cannot enforce " + limits.describe() + " for container " + containerId + ": " + reason);
        }
        return new NoContainerCgroup();
    }

    @Override
    public void sweep(LongPredicate ownerAlive) {
        // this JVM can make no cgroups, so it can remove none either
    }

    @Override
    public boolean restrictsDevices() {
        return false;
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.of(reason);
    }

    @Override
    public String describe() {
        return "no cgroups: " + reason;
    }
}
