package io.github.junitsandbox.runtime;

import io.github.junitsandbox.runtime.launcher.HostCheck;
import io.github.junitsandbox.runtime.launcher.LaunchedContainer;
import io.github.junitsandbox.runtime.json.JsonReader;
import io.github.junitsandbox.runtime.rootfs.ImageDefaults;
import io.github.junitsandbox.runtime.rootfs.Rootfs;
import io.github.junitsandbox.runtime.rootfs.RootfsContext;
import io.github.junitsandbox.runtime.rootfs.RootfsProvider;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The main of a child JVM that tests start to observe what happens to containers when their JVM
 * dies, or to launch as another user. Prints one line per fact, then {@code done}.
 */
public final class ContainerLaunchingChild {

    private ContainerLaunchingChild() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "hold" -> hold(Integer.parseInt(args[1]));
            case "hold-forking" -> holdForking(Integer.parseInt(args[1]));
            case "hold-in-bind" -> holdInBind(args[1]);
            case "first-spawn" -> firstSpawn();
            case "first-container" -> firstContainers();
            case "serve" -> serve(Integer.parseInt(args[1]));
            case "rootless" -> rootless();
            case "rootless-pids" -> rootlessPids();
            case "rootless-ids" -> rootlessIds();
            case "exec-flood" -> {
                try (Container c = Sandboxes.launch(ContainerSpec.builder().command("/bin/sleep", "300").build())) {
                    ExecResult flood = c.exec("sh", "-c", "head -c " + args[1] + " /dev/zero; echo done >&2");
                    System.out.println("exec-flood exit " + flood.exitCode() + " kept " + flood.stdout().length() + " dropped "
                            + flood.stdoutDropped() + " stderr " + flood.stderr().strip() + " truncated " + flood.truncated());
                }
                System.out.println("done");
            }
            case "host-check" -> {
                System.out.println("verdict " + HostCheck.check(Sandboxes.defaultRuntime(), System.out));
                System.out.println("done");
            }
            default -> throw new IllegalArgumentException("mode: hold N | hold-forking N | serve N | rootless | rootless-pids | rootless-ids | host-check, not "
                    + args[0]);
        }
    }

    /**
     * Launches a container that makes a setuid-root program and a block device node in a writable bind of {@code dir},
     * then sleeps; prints the host pid of its PID 1 once they are made, and waits to be killed.
     */
    private static void holdInBind(String dir) throws Exception {
        Container c = Sandboxes.launch(ContainerSpec.builder().bind(dir, "/out", false).command("sh", "-c",
                "cp /bin/true /out/setuid-copy && chmod 4755 /out/setuid-copy && mknod /out/disk b 7 0 && touch /out/made; exec sleep 300")
                .build());
        while (!Files.exists(Path.of(dir, "made"))) {
            Thread.sleep(10);
        }
        System.out.println("pid " + c.hostPid());
        System.out.println("done");
        System.out.flush();
        Thread.sleep(300_000);
    }

    /** The machine's floor for the first thing a fresh JVM starts: {@code /bin/true} through ProcessBuilder, in nanoseconds. */
    private static void firstSpawn() throws Exception {
        long started = System.nanoTime();
        new ProcessBuilder("/bin/true").start().waitFor();
        System.out.println("spawn " + (System.nanoTime() - started));
        System.out.println("done");
    }

    /**
     * The first and the second container of this fresh JVM, each from {@code Sandboxes.launch} (the default spec running
     * {@code /bin/true}) to {@code close()} returning, in nanoseconds; and how long the JVM took to reach main.
     */
    private static void firstContainers() {
        long atMain = System.currentTimeMillis();
        for (String which : List.of("first", "second")) {
            long started = System.nanoTime();
            try (Container c = Sandboxes.launch(ContainerSpec.builder().command("/bin/true").build())) {
                c.awaitExit(Duration.ofSeconds(30));
            }
            System.out.println(which + " " + (System.nanoTime() - started));
        }
        ProcessHandle.current().info().startInstant()
                .ifPresent(start -> System.out.println("to-main " + (atMain - start.toEpochMilli()) * 1_000_000));
        System.out.println("done");
    }

    /** Launches n sleeping containers, prints their host pids, and waits to be killed. */
    private static void hold(int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            Container c = Sandboxes.launch(ContainerSpec.builder().command("/bin/sleep", "300").build());
            System.out.println("pid " + c.hostPid());
            System.out.println("pid " + ((LaunchedContainer) c).subjectHostPid());
        }
        System.out.println("done");
        System.out.flush();
        Thread.sleep(300_000);
    }

    /**
     * Launches n containers without a PID namespace whose subject leaves a background child (which outlives PID 1 there),
     * prints the host pids in their cgroups once all three of each are in, and waits to be killed.
     */
    private static void holdForking(int n) throws IOException, InterruptedException {
        for (int i = 0; i < n; i++) {
            Sandboxes.launch(ContainerSpec.builder().namespaces(Namespace.MOUNT, Namespace.UTS, Namespace.IPC, Namespace.NET)
                    .pidsLimit(64).command("/bin/sh", "-c", "sleep 300 & exec sleep 300").build());
        }
        Set<String> pids = containerPids();
        for (int attempt = 0; pids.size() < 3 * n && attempt < 1000; attempt++) {
            Thread.sleep(10);
            pids = containerPids();
        }
        pids.forEach(pid -> System.out.println("pid " + pid));
        System.out.println("done");
        System.out.flush();
        Thread.sleep(300_000);
    }

    /** The pids in this JVM's container cgroups, in every hierarchy. */
    private static Set<String> containerPids() throws IOException {
        Set<String> pids = new TreeSet<>();
        for (Path cgroup : JvmDeathTest.cgroupsOf(ProcessHandle.current().pid())) {
            pids.addAll(Files.readAllLines(cgroup.resolve("cgroup.procs")));
        }
        return pids;
    }

    /**
     * Launches n idle containers, then answers each line on stdin by exec'ing into every one of them and
     * launching one more: prints how many answered, then {@code done}. Closes them all at end of input.
     */
    private static void serve(int n) throws IOException {
        List<Container> held = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            held.add(Sandboxes.launch(ContainerSpec.builder().build()));
        }
        System.out.println("done");
        System.out.flush();
        BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (requests.readLine() != null) {
            long answered = held.stream().filter(c -> c.exec("true").exitCode() == 0).count();
            try (Container extra = Sandboxes.launch(ContainerSpec.builder().command("/bin/true").build())) {
                System.out.println("answered " + answered + ", launched, exited " + extra.awaitExit(Duration.ofSeconds(30)));
            }
            System.out.println("done");
            System.out.flush();
        }
        held.forEach(Container::close);
    }

    /**
     * As a user that is not root: the ids inside and outside, the seccomp mode, the uid map as seen
     * inside and as the OCI config says, /proc/sys's mount options, and what a memory limit without a
     * delegated cgroup says; then the layer a directory rootfs gets, by default and when a copy is asked for.
     */
    private static void rootless() throws Exception {
        try (Container c = Sandboxes.launch(ContainerSpec.builder().pidsLimit(0).command("/bin/sleep", "300").build())) {
            System.out.println("namespaces " + c.spec().namespaces());
            System.out.println("device-guard " + c.deviceGuard());
            System.out.println("inside-uid " + c.exec("id", "-u").stdout().strip());
            String status = Files.readString(Path.of("/proc/" + c.hostPid() + "/status"));
            System.out.println("outside-uid " + status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[1]);
            System.out.println("visible-pids " + c.visiblePids());
            System.out.println("seccomp " + c.exec("grep", "^Seccomp:", "/proc/self/status").stdout().strip().split("\\s+")[1]);
            System.out.println("uid-map " + c.exec("cat", "/proc/self/uid_map").stdout().strip().replaceAll("\\s+", " "));
            System.out.println("proc-sys-mount " + c.exec("sh", "-c", "grep ' /proc/sys ' /proc/self/mountinfo | cut -d' ' -f6").stdout().strip());
            Map<?, ?> uidMapping = (Map<?, ?>) ((List<?>) ((Map<?, ?>) ((Map<?, ?>) JsonReader.parse(c.ociConfig())).get("linux")).get("uidMappings")).get(0);
            System.out.println("oci-uid-map " + uidMapping.get("containerID") + " " + uidMapping.get("hostID") + " " + uidMapping.get("size"));
        }
        try (Container chrootLike = Sandboxes.launch(ContainerSpec.builder().pidsLimit(0).namespaces(Namespace.MOUNT).build())) {
            System.out.println("chroot-like-sees-own-jvm " + chrootLike.visiblePids().contains(ProcessHandle.current().pid()));
        }
        try (Container c = Sandboxes.launch(ContainerSpec.builder().pidsLimit(0).memoryLimit("64m").command("/bin/true").build())) {
            System.out.println("memory-limit-launched " + c.id());
        } catch (SandboxException e) {
            System.out.println("memory-limit-error " + e.getMessage());
        }
        layers();
        System.out.println("done");
    }

    /** Forks {@code n} sleeping processes inside, stopping at the first fork refused (dash exits there). */
    private static final String FORK_LOOP = "n=0; while [ $n -lt %d ]; do sleep 120 & n=$((n+1)); done";

    /**
     * As a user without a delegated cgroup: the default PID limit's mechanism, and what a loop of forks reaches in two
     * containers at once (each has its own count), with the user's own processes outside still free to start; then the
     * same loop where {@code pids = 0}.
     */
    private static void rootlessPids() throws Exception {
        try (Container a = Sandboxes.launch(ContainerSpec.builder().command("/bin/sleep", "300").build());
                Container b = Sandboxes.launch(ContainerSpec.builder().command("/bin/sleep", "300").build())) {
            System.out.println("pid-limit " + a.pidLimit());
            System.out.println("max-processes " + a.exec("sh", "-c", "grep 'Max processes' /proc/self/limits").stdout().strip().replaceAll("\\s+", " "));
            for (Container c : List.of(a, b)) {
                ExecResult bomb = c.exec("sh", "-c", String.format(FORK_LOOP, 1100));
                System.out.println("bomb-" + (c == a ? "a" : "b") + " exit " + bomb.exitCode() + " refused " + bomb.stderr().contains("fork")
                        + " processes " + c.visiblePids().size());
            }
            System.out.println("outside-spawn " + new ProcessBuilder("true").start().waitFor());
        }
        try (Container unlimited = Sandboxes.launch(ContainerSpec.builder().pidsLimit(0).command("/bin/sleep", "300").build())) {
            ExecResult bomb = unlimited.exec("sh", "-c", String.format(FORK_LOOP, 1100));
            System.out.println("bomb-unlimited exit " + bomb.exitCode() + " processes " + unlimited.visiblePids().size()
                    + " pid-limit " + unlimited.pidLimit());
        }
        try (Container given = Sandboxes.launch(ContainerSpec.builder().pidsLimit(64).command("/bin/true").build())) {
            System.out.println("given-limit-launched " + given.id());
        } catch (UnsupportedHostException e) {
            System.out.println("given-limit-error " + e.getMessage());
        }
        System.out.println("done");
    }

    /**
     * As a user with subordinate ids (or without, which the test tells apart by what is printed): uid 1000 inside, seen
     * from inside and from the host, the maps, who owns the user's directory rootfs inside, and an image's User.
     */
    private static void rootlessIds() throws Exception {
        Path rootfs = Files.createTempDirectory(Sandboxes.defaultRuntime().stateDir(), "rootfs-");
        try {
            MinimalRootfs.create(rootfs);
            ContainerSpec spec = ContainerSpec.builder().rootfs("dir:" + rootfs).bind("/usr", "/usr", true).user("1000:1000")
                    .command("/bin/sleep", "300").build();
            try (Container c = Sandboxes.launch(spec)) {
                System.out.println("inside-ids " + c.exec("sh", "-c", "echo $(id -u):$(id -g):$(id -G)").stdout().strip());
                String status = Files.readString(Path.of("/proc/" + ((LaunchedContainer) c).subjectHostPid() + "/status"));
                System.out.println("outside-uid " + status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[1]);
                System.out.println("uid-map " + c.exec("cat", "/proc/self/uid_map").stdout().strip().replaceAll("\\s+", " "));
                System.out.println("gid-map " + c.exec("cat", "/proc/self/gid_map").stdout().strip().replaceAll("\\s+", " "));
                System.out.println("rootfs-owner " + c.exec("stat", "-c", "%u:%g", "/bin").stdout().strip());
                System.out.println("subject-ids " + c.exec("sh", "-c", "stat -c %u /proc/2").stdout().strip());
            } catch (UnsupportedHostException e) {
                System.out.println("ids-error " + e.getMessage());
            }
            RootfsProvider image = new RootfsProvider() {
                @Override
                public Rootfs provide(RootfsContext context) {
                    return new Rootfs.Directory(rootfs, new ImageDefaults(List.of(), null, "1000:1000", List.of(), List.of()));
                }

                @Override
                public String describe() {
                    return "an image whose User is 1000:1000";
                }
            };
            try (Container c = Sandboxes.launch(ContainerSpec.builder().rootfs(image).bind("/usr", "/usr", true).command("/bin/sleep", "300").build())) {
                System.out.println("image-user " + c.exec("id", "-u").stdout().strip());
            } catch (UnsupportedHostException e) {
                System.out.println("image-user-error " + e.getMessage());
            }
        } finally {
            deleteTree(rootfs);
        }
        System.out.println("done");
    }

    /** For each mode: the layer, what a write inside reads back, and the source's file afterwards. */
    private static void layers() throws Exception {
        Path rootfs = Files.createTempDirectory(Sandboxes.defaultRuntime().stateDir(), "rootfs-");
        try {
            MinimalRootfs.create(rootfs);
            Files.writeString(rootfs.resolve("data"), "original\n");
            ContainerSpec spec = ContainerSpec.builder().rootfs("dir:" + rootfs).bind("/usr", "/usr", true).pidsLimit(0)
                    .command("/bin/sleep", "300").build();
            for (LayerMode mode : List.of(LayerMode.AUTO, LayerMode.COPY)) {
                try (Container c = SandboxRuntime.builder().layerMode(mode).build().launch(spec)) {
                    String written = c.exec("sh", "-c", "echo changed > /data; cat /data").stdout().strip();
                    System.out.println("layer-" + mode + " " + c.layer() + " wrote " + written + " source " + Files.readString(rootfs.resolve("data")).strip());
                }
            }
        } finally {
            deleteTree(rootfs);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var tree = Files.walk(root)) {
            for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
