package io.github.junitsandbox.runtime.cgroup;

/** Which cgroup layout a machine offers for the controllers the runtime uses (memory, pids). */
public enum CgroupMode {
    /** A cgroup2 mount whose root lists memory or pids in {@code cgroup.controllers}. */
    UNIFIED,
    /**
     * One v1 hierarchy per controller (memory, pids, ...), possibly beside a cgroup2 mount that holds no
     * controllers (the "hybrid" layout of systemd, as on this project's build machine).
     */
    LEGACY,
    /** Neither: no v1 memory/pids hierarchy and no cgroup2 mount with those controllers. */
    NONE
}
