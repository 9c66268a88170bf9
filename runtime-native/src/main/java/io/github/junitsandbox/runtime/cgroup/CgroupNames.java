package io.github.junitsandbox.runtime.cgroup;

import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of what the drivers create: {@code junit-sandbox-<jvm pid>-<container id>} per container, so that a sweep
 * can tell whose it is.
 */
final class CgroupNames {

    /** A container's directory, or a per-JVM directory {@code junit-sandbox-<pid>} with containers below, as earlier builds made. */
    private static final Pattern OWNED = Pattern.compile("junit-sandbox-([0-9]{1,10})(-[A-Za-z0-9][A-Za-z0-9_.-]{0,127})?");
    private static final Pattern CONTAINER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private CgroupNames() {
    }

    /** {@code junit-sandbox-<jvm pid>-<container id>}. */
    static String containerDirectory(long jvmPid, String containerId) {
        return "junit-sandbox-" + jvmPid + "-" + checkedContainerId(containerId);
    }

    /** The JVM pid a directory of ours belongs to; empty for any other name. */
    static OptionalLong ownerOf(Path dir) {
        Matcher m = OWNED.matcher(dir.getFileName().toString());
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /** A container id becomes part of a directory name: no separators, no dot names, nothing a shell would mangle. */
    static String checkedContainerId(String containerId) {
        if (containerId == null || !CONTAINER_ID.matcher(containerId).matches()) {
            throw new IllegalArgumentException("container id \"" + containerId
                    + "\" is not accepted as a cgroup name (accepted: 1-128 characters of [A-Za-z0-9_.-], starting with a letter or digit)");
        }
        return containerId;
    }
}
