package io.github.junitsandbox.runtime;

import io.github.junitsandbox.runtime.cgroup.CgroupDriver;
import io.github.junitsandbox.runtime.cgroup.CgroupDrivers;
import io.github.junitsandbox.runtime.cgroup.CgroupLimits;
import io.github.junitsandbox.runtime.cgroup.ContainerCgroup;
import io.github.junitsandbox.runtime.launcher.ContainerStateDir;
import io.github.junitsandbox.runtime.launcher.HostView;
import io.github.junitsandbox.runtime.launcher.LaunchPlan;
import io.github.junitsandbox.runtime.launcher.LaunchedContainer;
import io.github.junitsandbox.runtime.launcher.NativeLauncher;
import io.github.junitsandbox.runtime.launcher.OverlayRefusedException;
import io.github.junitsandbox.runtime.launcher.Sweeper;
import io.github.junitsandbox.runtime.os.LauncherProcesses;
import io.github.junitsandbox.runtime.os.ProcessTable;
import io.github.junitsandbox.runtime.os.ThisProcess;
import io.github.junitsandbox.runtime.rootfs.Rootfs;
import io.github.junitsandbox.runtime.seccomp.KernelVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Launches containers: where the launcher is cached, where per-JVM state goes, which cgroups hold
 * them. The first launch sweeps what dead JVMs left behind; a JVM shutdown hook closes the
 * containers still open.
 */
public final class SandboxRuntime {

    public static final String CACHE_DIR_PROPERTY = "junit.sandbox.cacheDir";
    public static final String CGROUP_PARENT_PROPERTY = "junit.sandbox.cgroupParent";
    public static final String STATE_DIR_PROPERTY = "junit.sandbox.stateDir";

    private static final AtomicLong CONTAINER_COUNTER = new AtomicLong();
    private static final Set<LaunchedContainer> OPEN = ConcurrentHashMap.newKeySet();
    private static final Set<Path> SWEPT_STATE_DIRS = ConcurrentHashMap.newKeySet();
    /** How many containers each per-JVM directory holds: the last to close removes it (a forked test JVM may be halted, not exited). */
    private static final Map<Path, Integer> CONTAINERS_IN_JVM_DIRECTORY = new HashMap<>();
    /**
     * The host's layout and cgroup mounts do not change while the JVM runs: read once per JVM, not per runtime (the
     * extension builds a runtime per engine run, and EngineTestKit runs an engine per call).
     */
    private static final AtomicReference<HostView> HOST_VIEW = new AtomicReference<>();
    private static final Map<Optional<String>, CgroupDriver> DETECTED_DRIVERS = new ConcurrentHashMap<>();
    /** The directory rootfses whose overlay the kernel refused in this JVM: under {@link LayerMode#AUTO} they are copied. */
    private static final Set<Path> OVERLAY_REFUSED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SandboxRuntime::closeOpenContainers, "junit-sandbox-shutdown"));
    }

    private final Path cacheDir;
    private final Path stateDir;
    private final String cgroupParent;
    private final Path launcher;
    private final CgroupDriver cgroups;
    private final LayerMode layerMode;
    private final long jvmPid = ThisProcess.pid();

    private SandboxRuntime(Builder builder) {
        this.cacheDir = builder.cacheDir.toAbsolutePath();
        this.stateDir = builder.stateDir.toAbsolutePath();
        this.cgroupParent = builder.cgroupParent;
        this.layerMode = builder.layerMode;
        this.launcher = builder.launcher;
        this.cgroups = builder.cgroupDriver != null ? builder.cgroupDriver
                : DETECTED_DRIVERS.computeIfAbsent(Optional.ofNullable(cgroupParent), parent -> CgroupDrivers.detect(cgroupParent, jvmPid, ThisProcess.isRoot()));
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path cacheDir() {
        return cacheDir;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** The parent cgroup given, or null for the driver's default. */
    public String cgroupParent() {
        return cgroupParent;
    }

    /** Why this runtime can make no cgroup (limits then fail, the default PID limit falls back), with the fix; empty where it can. */
    public Optional<String> cgroupsUnavailableReason() {
        return cgroups.unavailableReason();
    }

    /** For reports: which cgroup layout and where this runtime's cgroups go. */
    public String describeCgroups() {
        return cgroups.describe();
    }

    /**
     * Starts a container and returns once its subject has exec'd (or its PID 1 is idle).
     *
     * @throws InvalidSpecException when the rootfs cannot be provided as the spec says
     * @throws SandboxException with the launcher's step and errno when setting up failed, or when a limit cannot be enforced here
     */
    public Container launch(ContainerSpec spec) {
        sweepOnce();
        Rootfs rootfs = provideRootfs(spec);
        RootLayer layer = directoryLayer(rootfs);
        try {
            return launch(spec, rootfs, layer);
        } catch (OverlayRefusedException e) {
            if (layerMode == LayerMode.OVERLAY) {
                throw new SandboxException(e.getMessage() + ": the kernel refuses overlayfs for rootfs " + spec.rootfs().describe() + " here, and "
                        + LayerMode.PROPERTY + " = overlay allows nothing else (auto falls back to a copy of the rootfs per container)", e);
            }
            // auto: decided once for this rootfs, the first launch's refusal retried as a copy
            OVERLAY_REFUSED.add(((Rootfs.Directory) rootfs).path());
            return launch(spec, rootfs, RootLayer.COPY);
        }
    }

    /** The layer a directory rootfs gets in this JVM: overlay unless configured or found refused. */
    private RootLayer directoryLayer(Rootfs rootfs) {
        return switch (layerMode) {
            case COPY -> RootLayer.COPY;
            case OVERLAY -> RootLayer.OVERLAY;
            case AUTO -> rootfs instanceof Rootfs.Directory directory && OVERLAY_REFUSED.contains(directory.path()) ? RootLayer.COPY
                    : RootLayer.OVERLAY;
        };
    }

    private Container launch(ContainerSpec spec, Rootfs rootfs, RootLayer layer) {
        String id = "c" + CONTAINER_COUNTER.incrementAndGet();
        ContainerStateDir state = ContainerStateDir.of(Sweeper.jvmDirectory(stateDir, jvmPid), id);
        try {
            enterJvmDirectory(state);
        } catch (IOException e) {
            throw new SandboxException("cannot create the state directory " + state.directory() + ": " + e.getMessage()
                    + " (set " + STATE_DIR_PROPERTY + " to a writable directory)", e);
        }
        ContainerCgroup cgroup = null;
        try {
            PidLimitMechanism pidLimit = PidLimitMechanism.choose(spec, cgroups.unavailableReason(), () -> RunningKernel.VERSION);
            CgroupLimits limits = pidLimit == PidLimitMechanism.RLIMIT_NPROC ? spec.cgroupLimits().withoutPids() : spec.cgroupLimits();
            if (cgroups.restrictsDevices()) {
                limits = limits.withDevices(spec.deviceAllowlist());
            }
            cgroup = spec.namespaces().contains(Namespace.PID) ? cgroups.createWithPidNamespace(id, limits) : cgroups.create(id, limits);
            LaunchPlan plan = LaunchPlan.of(launcher != null ? launcher : NativeLauncher.path(cacheDir), spec, rootfs, hostView(), cgroup, state,
                    cacheDir.resolve("seccomp"), layer, pidLimit);
            LaunchedContainer container = LaunchedContainer.launch(id, spec, plan, cgroup, state, closed -> {
                OPEN.remove(closed);
                leaveJvmDirectory(state);
            });
            OPEN.add(container);
            // JNA's loading would compete with the first launch for the CPU: it follows it, while the test runs.
            LauncherProcesses.loadInBackground();
            return container;
        } catch (RuntimeException e) {
            discard(cgroup, state);
            throw e;
        }
    }

    private Rootfs provideRootfs(ContainerSpec spec) {
        try {
            return spec.rootfs().provide(() -> cacheDir);
        } catch (IOException e) {
            throw new InvalidSpecException("rootfs", spec.rootfs().describe(), "a root filesystem that can be provided: " + e);
        }
    }

    private static void discard(ContainerCgroup cgroup, ContainerStateDir state) {
        if (cgroup != null) {
            cgroup.killAll();
            cgroup.remove();
        }
        try {
            state.deleteContainerFiles();
        } catch (IOException e) {
            // what could not be deleted is swept once this JVM is gone
        }
        leaveJvmDirectory(state);
    }

    /** Creates the container's directories, the per-JVM one included, and counts the container in. */
    private static synchronized void enterJvmDirectory(ContainerStateDir state) throws IOException {
        try {
            state.create();
        } catch (IOException e) {
            removeHalfCreated(state, e);
            throw e;
        }
        CONTAINERS_IN_JVM_DIRECTORY.merge(state.jvmDirectory(), 1, Integer::sum);
    }

    /** A full or read-only disk can fail {@code create} half-way: what it made goes, the per-JVM directory too if no container uses it. */
    private static void removeHalfCreated(ContainerStateDir state, IOException failure) {
        try {
            state.deleteContainerFiles();
            if (!CONTAINERS_IN_JVM_DIRECTORY.containsKey(state.jvmDirectory())) {
                state.deleteJvmDirectory();
            }
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** Counts the container out; the last one removes the per-JVM directory. */
    private static synchronized void leaveJvmDirectory(ContainerStateDir state) {
        Integer left = CONTAINERS_IN_JVM_DIRECTORY.computeIfPresent(state.jvmDirectory(), (dir, count) -> count == 1 ? null : count - 1);
        if (left == null) {
            try {
                state.deleteJvmDirectory();
            } catch (IOException e) {
                // not empty (something of a container is left): the sweep of a later JVM removes it
            }
        }
    }

    private static HostView hostView() {
        return HOST_VIEW.updateAndGet(view -> view != null ? view : HostView.of(Path.of("/")));
    }

    private void sweepOnce() {
        if (SWEPT_STATE_DIRS.add(stateDir)) {
            new Sweeper(stateDir, ProcessTable.system(), jvmPid).sweep(cgroups);
        }
    }

    private static void closeOpenContainers() {
        for (LaunchedContainer container : List.copyOf(OPEN)) {
            try {
                container.close();
            } catch (RuntimeException e) {
                System.err.println("junit-sandbox: closing " + container + " at JVM exit failed: " + e.getMessage());
            }
        }
    }

    /**
     * Where per-JVM directories go unless told: {@value #STATE_DIR_PROPERTY}, else the first of {@code $XDG_RUNTIME_DIR}
     * and {@code /dev/shm} that is a writable tmpfs, else {@code java.io.tmpdir}. A tmpfs because every container
     * creates and removes its output files there: on a disk file system that churn costs the launch a millisecond or
     * more (ext4 without a journal scans for recently deleted inodes on every create), on a tmpfs some microseconds.
     */
    public static Path defaultStateDir() {
        String configured = System.getProperty(STATE_DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String runtimeDir = System.getenv("XDG_RUNTIME_DIR");
        return Stream.of(runtimeDir == null || runtimeDir.isBlank() ? null : Path.of(runtimeDir), Path.of("/dev/shm"))
                .filter(dir -> dir != null && isWritableTmpfs(dir))
                .findFirst()
                .orElseGet(() -> Path.of(System.getProperty("java.io.tmpdir")));
    }

    private static boolean isWritableTmpfs(Path dir) {
        try {
            return Files.isDirectory(dir) && Files.isWritable(dir) && Files.getFileStore(dir).type().equals("tmpfs");
        } catch (IOException e) {
            return false;
        }
    }

    /** Where things go; each default comes from a system property, else a conventional place. */
    public static final class Builder {
        private Path cacheDir = defaultCacheDir();
        private Path stateDir = defaultStateDir();
        private String cgroupParent = System.getProperty(CGROUP_PARENT_PROPERTY);
        private CgroupDriver cgroupDriver;
        private LayerMode layerMode = LayerMode.configured();
        private Path launcher;

        private Builder() {
        }

        /** How a directory rootfs takes the container's writes; default: {@value LayerMode#PROPERTY}, else auto. */
        public Builder layerMode(LayerMode mode) {
            this.layerMode = mode;
            return this;
        }

        /** A {@code sandbox-init} to run instead of the one packaged in this jar (a debugging build); default: the packaged one. */
        public Builder launcher(Path executable) {
            this.launcher = executable;
            return this;
        }

        /** Where the launcher binary (and rootfs sources' unpacked trees) are cached across runs. */
        public Builder cacheDir(Path dir) {
            this.cacheDir = dir;
            return this;
        }

        /** The cgroup below which this JVM's cgroups go, relative to each hierarchy's mount point. */
        public Builder cgroupParent(String parent) {
            this.cgroupParent = parent;
            return this;
        }

        /** Where per-JVM directories {@code junit-sandbox-<pid>} go. */
        public Builder stateDir(Path dir) {
            this.stateDir = dir;
            return this;
        }

        /** A cgroup driver of one's own, for a layout the detection does not know; default: detected from the mounts. */
        public Builder cgroupDriver(CgroupDriver driver) {
            this.cgroupDriver = driver;
            return this;
        }

        public SandboxRuntime build() {
            return new SandboxRuntime(this);
        }

        private static Path defaultCacheDir() {
            String configured = System.getProperty(CACHE_DIR_PROPERTY);
            if (configured != null && !configured.isBlank()) {
                return Path.of(configured);
            }
            String xdg = System.getenv("XDG_CACHE_HOME");
            Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
            return base.resolve("junit-sandbox");
        }
    }

    /** The running kernel, read once per JVM and only where a launch asks (a plain user's launch without cgroups). */
    private static final class RunningKernel {
        static final KernelVersion VERSION = KernelVersion.running();
    }
}
