package io.github.junitsandbox.runtime.bench;

import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.ContainerSpec;
import io.github.junitsandbox.runtime.Namespace;
import io.github.junitsandbox.runtime.Sandboxes;
import io.github.junitsandbox.runtime.os.ProcessTable;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Launch-to-exit-to-teardown of the spec (a busybox-like root filesystem, read-only, PID+UTS+IPC+MOUNT+NET,
 * 64 MiB memory limit, /bin/true) with junit-sandbox, bubblewrap, runc and crun (each when it starts), each launched
 * from this JVM; besides, junit-sandbox on its default root filesystem (the host's system directories), a plain
 * ProcessBuilder spawn of the same /bin/true, and exec into a running container. Prints the median and 90th
 * percentile of each. Run as root: {@code mvn -B -ntp -q -pl runtime-native test-compile exec:java@bench}
 * (README, "Benchmarks").
 */
public final class LaunchBenchmark {

    /**
     * Rounds run before measuring: the JVM's JIT compiles the launch path's code over the first thousand or so launches
     * (each method runs a few times a launch), and keeps a CPU busy while it does; the default measures the steady state.
     */
    private static final int WARM_UP = Integer.getInteger("bench.warmup", 1000);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 200);
    private static final long MEMORY_LIMIT = 64L << 20;
    private static final Path MEMORY_CGROUPS = Path.of("/sys/fs/cgroup/memory");
    /** A static busybox: Debian's busybox-static, which .ci/setup installs. */
    private static final Path BUSYBOX = Path.of(System.getProperty("bench.busybox", "/bin/busybox"));

    private LaunchBenchmark() {
    }

    /** One measured operation. */
    private interface Round {
        void run(int index) throws Exception;
    }

    /** A contender: its name and its round. */
    private record Contender(String name, Round round) {
    }

    public static void main(String[] args) throws Exception {
        Path bundle = ociBundle();
        Path rootfs = bundle.resolve("rootfs");
        ContainerSpec spec = ContainerSpec.builder().rootfs("dir:" + rootfs).readOnlyRoot(true)
                .namespaces(Namespace.PID, Namespace.UTS, Namespace.IPC, Namespace.MOUNT, Namespace.NET)
                .memoryLimit(MEMORY_LIMIT).pidsLimit(0).command("/bin/true").build();
        ContainerSpec onHost = spec.toBuilder().rootfs("host").readOnlyRoot(false).build();
        try (Container idle = Sandboxes.launch(spec.toBuilder().command().build())) {
            List<Contender> contenders = new ArrayList<>();
            contenders.add(new Contender("junit-sandbox Sandboxes.launch (launch, exit, close)", i -> launchExitClose(spec)));
            contenders.add(new Contender("bwrap (sh puts it in a memory cgroup first)", i -> bwrapRound(i, rootfs)));
            List<String> absent = new ArrayList<>();
            Map<String, Round> ociRuntimes = new LinkedHashMap<>();
            ociRuntimes.put("runc run (generated OCI bundle)", i -> run(List.of("runc", "run", "--bundle", bundle.toString(), ociId(i))));
            // crun refuses a hybrid cgroup layout: it runs in a mount namespace of its own without the cgroup2 mount
            ociRuntimes.put("crun run (same bundle; unshare + sh hide the cgroup2 mount)", i -> run(List.of("unshare", "--mount",
                    "--propagation", "private", "sh", "-c", "umount -l /sys/fs/cgroup/unified 2>/dev/null; exec crun run --bundle "
                            + bundle + " " + ociId(i))));
            for (Map.Entry<String, Round> oci : ociRuntimes.entrySet()) {
                whyItDoesNotStart(oci.getValue()).ifPresentOrElse(why -> absent.add(oci.getKey() + ": " + why),
                        () -> contenders.add(new Contender(oci.getKey(), oci.getValue())));
            }
            contenders.add(new Contender("ProcessBuilder the same /bin/true (no isolation)", i -> run(List.of(rootfs.resolve("bin/true").toString()))));
            contenders.add(new Contender("junit-sandbox exec /bin/true into a running container",
                    i -> require(idle.exec("/bin/true").exitCode() == 0, "exec failed")));
            contenders.add(new Contender("junit-sandbox, rootfs host (the default: host /usr, /etc allowlist)", i -> launchExitClose(onHost)));

            System.out.printf(Locale.ROOT, "load average before: %s; %d warm-up rounds (-Dbench.warmup=N)%n", loadAverage(), WARM_UP);
            print(measureInterleaved(contenders));
            absent.forEach(why -> System.out.println("not measured: " + why));
            System.out.printf(Locale.ROOT, "load average after: %s%n", loadAverage());
            System.out.printf(Locale.ROOT, "supervisor (sandbox-init run) resident memory per idle container: %s%n", supervisorRss());
        } finally {
            deleteTree(bundle);
        }
    }

    private static void launchExitClose(ContainerSpec spec) {
        try (Container c = Sandboxes.launch(spec)) {
            require(c.awaitExit(Duration.ofSeconds(10)) == 0, "junit-sandbox: /bin/true failed: " + c.subjectStderr());
        }
    }

    /**
     * Round i of every contender runs before round i+1 of any: a change of the machine's load hits them all alike.
     * Besides wall time, the CPU time each round costs, which load does not change: this JVM's, and that of the
     * processes it started and reaped (with their own reaped descendants: the launcher reaps the container's).
     */
    private static List<String[]> measureInterleaved(List<Contender> contenders) throws Exception {
        long[][] nanos = new long[contenders.size()][ROUNDS];
        long[] jvmCpu = new long[contenders.size()];
        long[] childrenCpu = new long[contenders.size()];
        for (int i = -WARM_UP; i < ROUNDS; i++) {
            for (int c = 0; c < contenders.size(); c++) {
                long cpuBefore = jvmCpuNanos();
                long childrenBefore = reapedChildrenCpuNanos();
                long start = System.nanoTime();
                contenders.get(c).round().run(i + WARM_UP);
                if (i >= 0) {
                    nanos[c][i] = System.nanoTime() - start;
                    jvmCpu[c] += jvmCpuNanos() - cpuBefore;
                    childrenCpu[c] += reapedChildrenCpuNanos() - childrenBefore;
                }
            }
        }
        List<String[]> rows = new ArrayList<>();
        for (int c = 0; c < contenders.size(); c++) {
            Arrays.sort(nanos[c]);
            rows.add(new String[] {contenders.get(c).name(), Integer.toString(ROUNDS), millis(nanos[c][ROUNDS / 2]),
                millis(nanos[c][(int) (ROUNDS * 0.9)]), millis(jvmCpu[c] / ROUNDS), millis(childrenCpu[c] / ROUNDS)});
        }
        return rows;
    }

    private static long jvmCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** cutime + cstime of /proc/self/stat, in clock ticks (10 ms): exact in sum over many rounds, not per round. */
    private static long reapedChildrenCpuNanos() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] afterComm = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(afterComm[13]) + Long.parseLong(afterComm[14]);
        return ticks * 1_000_000_000L / ProcessTable.USER_HZ;
    }

    /** Runs round -1; a runtime that fails there may leave its cgroups (runc, crun: one per hierarchy), which go then. */
    private static Optional<String> whyItDoesNotStart(Round round) throws Exception {
        try {
            round.run(-1);
            return Optional.empty();
        } catch (Exception | AssertionError e) {
            try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
                for (Path leftover : hierarchies.map(h -> h.resolve(ociId(-1))).filter(Files::isDirectory).toList()) {
                    removeCgroup(leftover);
                }
            }
            return Optional.of(String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).strip() + " (" + Runtime.getRuntime().availableProcessors() + " CPUs)";
    }

    private static void bwrapRound(int index, Path rootfs) throws Exception {
        Path cgroup = MEMORY_CGROUPS.resolve("junit-sandbox-bench-bwrap-" + ProcessHandle.current().pid() + "-" + index);
        Files.createDirectory(cgroup);
        try {
            Files.writeString(cgroup.resolve("memory.limit_in_bytes"), Long.toString(MEMORY_LIMIT));
            run(List.of("/bin/sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs") + " && exec bwrap --unshare-pid --unshare-uts "
                    + "--unshare-ipc --unshare-net --ro-bind " + rootfs + " / --proc /proc --dev /dev --tmpfs /tmp /bin/true"));
        } finally {
            removeCgroup(cgroup);
        }
    }

    /** rmdir, retried while the kernel still counts the exited processes in (EBUSY), as the runtime's driver does. */
    private static void removeCgroup(Path cgroup) throws Exception {
        for (int attempt = 0; ; attempt++) {
            try {
                Files.delete(cgroup);
                return;
            } catch (IOException e) {
                if (attempt == 1000) {
                    throw e;
                }
                Thread.sleep(1);
            }
        }
    }

    private static String ociId(int round) {
        return "junit-sandbox-bench-" + ProcessHandle.current().pid() + "-" + round;
    }

    /**
     * A bundle whose rootfs is busybox-like: a static busybox as /bin/busybox, /bin/true and /bin/sh linked to it, and
     * the mount points the runtimes need (the root is read-only for all of them).
     */
    private static Path ociBundle() throws IOException {
        if (!Files.isExecutable(BUSYBOX)) {
            throw new IllegalStateException("the benchmark's rootfs needs a static busybox at " + BUSYBOX
                    + ": apt-get install busybox-static, or -Dbench.busybox=PATH");
        }
        Path bundle = Files.createTempDirectory("junit-sandbox-bench-oci-");
        Path rootfs = Files.createDirectories(bundle.resolve("rootfs"));
        for (String dir : List.of("bin", "proc", "dev", "tmp", "sys")) {
            Files.createDirectories(rootfs.resolve(dir));
        }
        Files.copy(BUSYBOX, rootfs.resolve("bin/busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String applet : List.of("true", "sh")) {
            Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        Files.writeString(bundle.resolve("config.json"), """
                {
                  "ociVersion": "1.0.2-dev",
                  "process": {
                    "terminal": false, "user": {"uid": 0, "gid": 0}, "args": ["/bin/true"],
                    "env": ["PATH=/bin"], "cwd": "/", "noNewPrivileges": true,
                    "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]}
                  },
                  "root": {"path": "rootfs", "readonly": true},
                  "hostname": "bench",
                  "mounts": [
                    {"destination": "/proc", "type": "proc", "source": "proc"},
                    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "mode=755"]},
                    {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "mode=1777"]}
                  ],
                  "linux": {
                    "resources": {"memory": {"limit": %d}},
                    "namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}]
                  }
                }
                """.formatted(MEMORY_LIMIT));
        return bundle;
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        int status = p.waitFor();
        require(status == 0, String.join(" ", command) + " exited with " + status + ": " + new String(output).strip());
    }

    private static String supervisorRss() throws IOException {
        List<String> sizes = new ArrayList<>();
        for (ProcessHandle child : ProcessHandle.current().children().toList()) {
            if (child.info().command().orElse("").contains("sandbox-init")) {
                Files.readAllLines(Path.of("/proc/" + child.pid() + "/status")).stream()
                        .filter(l -> l.startsWith("VmRSS:")).map(l -> l.substring(6).strip()).forEach(sizes::add);
            }
        }
        return sizes.isEmpty() ? "(no supervisor found)" : String.join(", ", sizes);
    }

    private static void require(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e6);
    }

    private static void print(List<String[]> rows) {
        int width = rows.stream().mapToInt(r -> r[0].length()).max().orElse(10);
        String format = "%-" + width + "s  %6s  %10s  %10s  %14s  %14s%n";
        System.out.printf(Locale.ROOT, format, "what (each from this JVM)", "rounds", "median ms", "p90 ms", "JVM CPU ms", "child CPU ms");
        rows.forEach(r -> System.out.printf(Locale.ROOT, format, (Object[]) r));
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> tree = Files.walk(root)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
