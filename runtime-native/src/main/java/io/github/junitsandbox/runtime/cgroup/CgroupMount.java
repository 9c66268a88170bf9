package io.github.junitsandbox.runtime.cgroup;

import java.nio.file.Path;
import java.util.Set;

/**
 * One cgroup filesystem mount, as {@code /proc/self/mountinfo} describes it.
 *
 * @param mountPoint where it is mounted, e.g. {@code /sys/fs/cgroup/memory}
 * @param root the cgroup of the hierarchy that appears at {@code mountPoint} ({@code /} unless the mount was
 *     made inside a cgroup namespace or bound from a subdirectory)
 * @param version 1 or 2
 * @param controllers v1: the controllers named in the mount options; v2: those listed in the mount's
 *     {@code cgroup.controllers}
 * @param readOnly whether it is mounted read-only (as Docker and podman mount it in a container that is not privileged)
 */
public record CgroupMount(Path mountPoint, String root, int version, Set<String> controllers, boolean readOnly) {

    public CgroupMount {
        controllers = Set.copyOf(controllers);
    }

    /** A writable mount. */
    public CgroupMount(Path mountPoint, String root, int version, Set<String> controllers) {
        this(mountPoint, root, version, controllers, false);
    }

    /**
     * The directory of the hierarchy's cgroup {@code cgroupPath} (as {@code /proc/PID/cgroup} gives it), or null
     * when that cgroup is outside what this mount shows.
     */
    public Path directoryOf(String cgroupPath) {
        String inside;
        if (root.equals("/")) {
            inside = cgroupPath;
        } else if (cgroupPath.equals(root)) {
            inside = "/";
        } else if (cgroupPath.startsWith(root + "/")) {
            inside = cgroupPath.substring(root.length());
        } else {
            return null;
        }
        return resolve(inside);
    }

    /** The directory for a path relative to the mount point; leading slashes are ignored. */
    public Path resolve(String relative) {
        String trimmed = relative.replaceAll("^/+", "");
        return trimmed.isEmpty() ? mountPoint : mountPoint.resolve(trimmed);
    }
}
