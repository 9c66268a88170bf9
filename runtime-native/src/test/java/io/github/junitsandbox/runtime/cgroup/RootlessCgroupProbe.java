package io.github.junitsandbox.runtime.cgroup;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Run as a non-root user by {@link CgroupV1RootlessTest}: what the runtime's cgroup part does for a rootless JVM,
 * printed line by line. Argument: junit.sandbox.cgroupParent, or nothing.
 */
public final class RootlessCgroupProbe {

    private RootlessCgroupProbe() {
    }

    public static void main(String[] args) throws Exception {
        CgroupDriver driver = CgroupDrivers.detect(args.length > 0 ? args[0] : null, ProcessHandle.current().pid(), false);
        System.out.println("driver " + driver.getClass().getSimpleName());
        ContainerCgroup cgroup;
        try {
            cgroup = driver.create("rootless", Limits.of(32L << 20, null, 10L, null));
        } catch (RuntimeException e) {
            System.out.println("create failed: " + e.getMessage());
            return;
        }
        Process sleep = new ProcessBuilder("sleep", "600").start();
        for (Path dir : cgroup.directories()) {
            System.out.println("dir " + dir + " owner " + Files.getOwner(dir).getName());
            Files.writeString(dir.resolve("cgroup.procs"), Long.toString(sleep.pid()));
            if (Files.exists(dir.resolve("pids.max"))) {
                System.out.println("pids.max " + Files.readString(dir.resolve("pids.max")).strip());
            }
            if (Files.exists(dir.resolve("memory.limit_in_bytes"))) {
                System.out.println("memory.limit_in_bytes " + Files.readString(dir.resolve("memory.limit_in_bytes")).strip());
            }
        }
        cgroup.killAll();
        System.out.println("sleep exit " + sleep.waitFor());
        cgroup.remove();
        System.out.println("removed " + cgroup.directories().stream().noneMatch(Files::exists));
    }
}
