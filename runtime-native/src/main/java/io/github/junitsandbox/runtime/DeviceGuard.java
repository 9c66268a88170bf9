package io.github.junitsandbox.runtime;

/**
 * What stops a container's processes from opening devices beyond its allowlist ({@link ContainerSpec#deviceAllowlist()}),
 * whatever mount a node is on.
 */
public enum DeviceGuard {
    /** cgroup v1: {@code devices.deny a}, then each rule in {@code devices.allow}. */
    DEVICES_CONTROLLER("the devices controller of the container's cgroup (v1)"),
    /** cgroup v2: a {@code BPF_PROG_TYPE_CGROUP_DEVICE} program the launcher attaches to the container's cgroup. */
    DEVICE_PROGRAM("a device program (BPF_PROG_TYPE_CGROUP_DEVICE) on the container's cgroup (v2)"),
    /**
     * No device cgroup: a plain user may write neither v1's devices files nor load a device program, and this JVM's
     * containers then cannot make a device node at all (their root has no CAP_MKNOD outside their user namespace); a root
     * JVM that can make no cgroup relies on nodev.
     */
    NONE("no device cgroup: every mount the container can write is nodev, and a plain user's container cannot make device"
            + " nodes at all");

    private final String description;

    DeviceGuard(String description) {
        this.description = description;
    }

    /** For reports. */
    public String describe() {
        return description;
    }
}
