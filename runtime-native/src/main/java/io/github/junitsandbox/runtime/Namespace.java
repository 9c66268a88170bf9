package io.github.junitsandbox.runtime;

/** The Linux namespaces a container can be given. */
public enum Namespace {
    PID("pid"),
    UTS("uts"),
    IPC("ipc"),
    MOUNT("mnt"),
    NET("net"),
    USER("user"),
    CGROUP("cgroup"),
    TIME("time");

    private final String procName;

    Namespace(String procName) {
        this.procName = procName;
    }

    /** The name under {@code /proc/PID/ns/}, also the launcher's {@code --unshare} spelling. */
    public String procName() {
        return procName;
    }
}
