package io.github.junitsandbox.runtime.launcher;

import io.github.junitsandbox.runtime.BindMount;
import io.github.junitsandbox.runtime.ContainerSpec;
import io.github.junitsandbox.runtime.ContainerUser;
import io.github.junitsandbox.runtime.InvalidSpecException;
import io.github.junitsandbox.runtime.Namespace;
import io.github.junitsandbox.runtime.PidLimitMechanism;
import io.github.junitsandbox.runtime.ResourceLimit;
import io.github.junitsandbox.runtime.RootLayer;
import io.github.junitsandbox.runtime.SandboxException;
import io.github.junitsandbox.runtime.SystemPaths;
import io.github.junitsandbox.runtime.cgroup.ContainerCgroup;
import io.github.junitsandbox.runtime.rootfs.ImageDefaults;
import io.github.junitsandbox.runtime.rootfs.Rootfs;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Everything decided before a container starts, as the launcher's command lines
 * (docs/launcher-protocol.md): {@code run} for the container itself, and {@code exec} / {@code probe}
 * to enter it later with the same namespaces, cgroup and PROCESS options as its subject.
 */
public final class LaunchPlan {

    /** The mount points of the --proc, --dev, --tmpfs and --sysfs ops that every plan with its own mount namespace has. */
    private static final List<String> SYSTEM_MOUNT_POINTS = List.of("/proc", "/dev", "/tmp", "/sys");

    private final Path launcher;
    private final List<String> setup;
    private final List<String> process;
    private final List<String> subject;
    private final String namespaces;
    private final List<Path> cgroupDirectories;
    private final EffectiveProcess effective;
    private final RootLayer rootLayer;
    private final Optional<UserNamespaceMaps> idMaps;
    private final PidLimitMechanism pidLimit;

    /**
     * What the container's processes run with once image defaults are resolved: for
     * {@link io.github.junitsandbox.runtime.OciConfig} and reports.
     *
     * @param capabilities the set in force (bounding, permitted, effective, inheritable)
     * @param seccompFile  the compiled program, none when unconfined
     * @param masked       the paths hidden, empty without a mount namespace
     * @param readOnly     the paths made read-only, empty without a mount namespace
     * @param rlimits      the spec's, and {@code nproc} where it enforces the PID limit ({@link PidLimitMechanism#RLIMIT_NPROC})
     */
    public record EffectiveProcess(ContainerUser user, List<String> capabilities, Map<String, String> env, String workdir,
            Optional<Path> seccompFile, List<String> masked, List<String> readOnly, List<ResourceLimit> rlimits) {
    }

    private LaunchPlan(Path launcher, List<String> setup, List<String> process, List<String> subject, String namespaces,
            List<Path> cgroupDirectories, EffectiveProcess effective, RootLayer rootLayer, Optional<UserNamespaceMaps> idMaps,
            PidLimitMechanism pidLimit) {
        this.launcher = launcher;
        this.setup = List.copyOf(setup);
        this.process = List.copyOf(process);
        this.subject = List.copyOf(subject);
        this.namespaces = namespaces;
        this.cgroupDirectories = List.copyOf(cgroupDirectories);
        this.effective = effective;
        this.rootLayer = rootLayer;
        this.idMaps = idMaps;
        this.pidLimit = pidLimit;
    }

    /**
     * @param launcher the extracted {@code sandbox-init}
     * @param hostView the mount ops of rootfs {@code host} (computed once per runtime: the host's layout does not change)
     * @param cgroup the container's cgroup
     * @param seccompDir where compiled seccomp programs are kept (the cache directory's {@code seccomp})
     * @param directoryLayer the layer a {@link Rootfs.Directory} gets: {@link RootLayer#OVERLAY} or {@link RootLayer#COPY}
     * @param pidLimit what enforces the spec's PID limit: with {@link PidLimitMechanism#RLIMIT_NPROC} every process started
     *     inside gets it as {@code --rlimit nproc}
     */
    public static LaunchPlan of(Path launcher, ContainerSpec spec, Rootfs rootfs, HostView hostView, ContainerCgroup cgroup,
            ContainerStateDir state, Path seccompDir, RootLayer directoryLayer, PidLimitMechanism pidLimit) {
        if (directoryLayer == RootLayer.NONE) {
            throw new IllegalArgumentException("a directory rootfs needs a layer: overlay or copy, not " + directoryLayer);
        }
        ImageDefaults image = rootfs instanceof Rootfs.Directory directory ? directory.defaults() : ImageDefaults.none();
        ContainerUser user = spec.user().orElseGet(() -> image.user() == null ? ContainerUser.ROOT : imageUser(image.user()));
        Map<String, String> env = environment(spec, image, user);
        if (spec.capabilities().adds() && !user.isRoot()) {
            // the spec could not tell: the user came from the image
            throw new InvalidSpecException("capabilities", spec.capabilities().toString(), "additions only for uid 0; the image runs as "
                    + user + ", which holds no capabilities: set user = \"0\" or add none");
        }
        List<String> caps = spec.capabilitiesFor(user);
        Optional<Path> seccompFile = SeccompFiles.fileFor(spec.seccomp(), Set.copyOf(caps), seccompDir);
        boolean ownMounts = spec.namespaces().contains(Namespace.MOUNT);
        SystemPaths systemPaths = spec.systemPaths();
        EffectiveProcess effective = new EffectiveProcess(user, caps, env,
                spec.workdir().orElse(image.workdir() == null ? "/" : image.workdir()), seccompFile,
                ownMounts ? systemPaths.masked() : List.of(), ownMounts ? systemPaths.readOnly() : List.of(), rlimits(spec, pidLimit));

        List<String> setup = new ArrayList<>();
        String namespaces = spec.namespaces().stream().map(Namespace::procName).collect(Collectors.joining(","));
        if (!namespaces.isEmpty()) {
            setup.addAll(List.of("--unshare", namespaces));
        }
        Optional<UserNamespaceMaps> idMaps = spec.namespaces().contains(Namespace.USER)
                ? Optional.of(UserNamespaceMaps.of(user, spec.user().isPresent() ? "user = \"" + user + "\"" : "the image's User \"" + image.user() + "\""))
                : Optional.empty();
        idMaps.ifPresent(maps -> setup.addAll(maps.launcherArguments()));
        RootLayer rootLayer = ownMounts && rootfs instanceof Rootfs.Directory directory
                && !(spec.readOnlyRoot() && offersMountPoints(directory.path(), spec)) ? directoryLayer : RootLayer.NONE;
        if (ownMounts) {
            setup.addAll(List.of("--state", state.stagingRoot().toString()));
            setup.addAll(mounts(spec, rootfs, rootLayer, hostView, effective));
        }
        spec.hostname().ifPresent(name -> setup.addAll(List.of("--hostname", name)));
        List<Path> cgroupDirectories = cgroup.directories();
        cgroupDirectories.forEach(dir -> setup.addAll(List.of("--cgroup", dir.toString())));
        cgroup.deviceProgram().ifPresent(allowed -> allowed.rules().forEach(rule -> setup.addAll(List.of("--device-allow", rule.toString()))));
        setup.addAll(List.of("--stdout", state.stdout().toString(), "--stderr", state.stderr().toString()));
        state.cleanupPaths().forEach(p -> setup.addAll(List.of("--cleanup", p.toString())));
        cgroup.cleanupPaths().forEach(p -> setup.addAll(List.of("--cleanup", p.toString())));

        List<String> process = processOptions(effective);
        return new LaunchPlan(launcher, setup, process, spec.command(), namespaces, cgroupDirectories, effective, rootLayer, idMaps, pidLimit);
    }

    /** What takes the container's writes to its root. */
    public RootLayer rootLayer() {
        return rootLayer;
    }

    /** What the container's processes run with. */
    public EffectiveProcess effective() {
        return effective;
    }

    /** The maps of the container's user namespace; empty without one. */
    public Optional<UserNamespaceMaps> idMaps() {
        return idMaps;
    }

    /** What enforces the spec's PID limit. */
    public PidLimitMechanism pidLimit() {
        return pidLimit;
    }

    /** {@code sandbox-init run SETUP PROCESS [-- COMMAND]} (the launcher looks a bare name up on the container's PATH). */
    public List<String> runCommand() {
        List<String> argv = new ArrayList<>();
        argv.add(launcher.toString());
        argv.add("run");
        argv.addAll(setup);
        argv.addAll(process);
        if (!subject.isEmpty()) {
            argv.add("--");
            argv.addAll(subject);
        }
        return argv;
    }

    /** {@code sandbox-init exec --target PID --join ... PROCESS -- COMMAND} (the launcher looks a bare name up on the container's PATH). */
    public List<String> execCommand(long targetPid, List<String> command) {
        List<String> argv = enter("exec", targetPid);
        argv.add("--");
        argv.addAll(command);
        return argv;
    }

    /** {@code sandbox-init probe --target PID --join ... PROCESS PROBE...}. */
    public List<String> probeCommand(long targetPid, String... probe) {
        List<String> argv = enter("probe", targetPid);
        argv.addAll(List.of(probe));
        return argv;
    }

    private List<String> enter(String subcommand, long targetPid) {
        List<String> argv = new ArrayList<>(List.of(launcher.toString(), subcommand, "--target", Long.toString(targetPid)));
        if (!namespaces.isEmpty()) {
            argv.addAll(List.of("--join", namespaces));
        }
        cgroupDirectories.forEach(dir -> argv.addAll(List.of("--cgroup", dir.toString())));
        argv.addAll(process);
        return argv;
    }

    private static List<String> mounts(ContainerSpec spec, Rootfs rootfs, RootLayer layer, HostView hostView, EffectiveProcess effective) {
        List<String> args = new ArrayList<>();
        if (rootfs instanceof Rootfs.Directory directory) {
            String root = switch (layer) {
                case OVERLAY -> "--root-overlay";
                case COPY -> "--root-copy";
                case NONE -> "--root-bind";
            };
            args.addAll(List.of(root, directory.path().toString()));
        } else {
            args.addAll(hostView.mountArguments());
        }
        args.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--shm-size", Long.toString(spec.shmSizeBytes()), "--tmpfs", "/tmp"));
        // A fresh sysfs waits for the network namespace, which the subject makes meanwhile (docs/launcher-protocol.md):
        // it comes as late as it can, after the ops that do not need it. Before the binds: a user's bind below /proc or
        // /sys is theirs to shape.
        addSystemPathOps(args, effective, path -> !path.startsWith("/sys/"));
        args.addAll(List.of("--sysfs", "/sys"));
        addSystemPathOps(args, effective, path -> path.startsWith("/sys/"));
        spec.binds().forEach(b -> args.addAll(List.of(bindFlag(b), b.source().toString(), b.target())));
        spec.devices().forEach(d -> args.addAll(List.of(d.readOnly() ? "--ro-dev-bind" : "--dev-bind", d.path().toString(), d.path().toString())));
        if (spec.readOnlyRoot()) {
            args.add("--read-only-root");
        }
        return args;
    }

    /** The launcher's binds are nodev,nosuid; its --dev-bind ones keep the source's devices and setuid bits. */
    private static String bindFlag(BindMount bind) {
        if (bind.keepsDevicesAndSetuid()) {
            return bind.readOnly() ? "--ro-dev-bind" : "--dev-bind";
        }
        return bind.readOnly() ? "--ro-bind" : "--bind";
    }

    /** Docker's read-only and masked paths that {@code which} accepts, in that order. */
    private static void addSystemPathOps(List<String> args, EffectiveProcess effective, Predicate<String> which) {
        effective.readOnly().stream().filter(which).forEach(path -> args.addAll(List.of("--remount-ro", path)));
        effective.masked().stream().filter(which).forEach(path -> args.addAll(List.of("--mask", path)));
    }

    /**
     * Whether a read-only root can be the directory itself, no layer: it must hold every mount point the plan
     * needs as a real directory (the launcher makes the bind read-only before mounting, so it creates none in
     * the source; a file bind would need to open its mount point for writing). Otherwise the layer takes them.
     */
    private static boolean offersMountPoints(Path root, ContainerSpec spec) {
        return spec.binds().stream().allMatch(b -> Files.isDirectory(b.source()))
                && Stream.concat(SYSTEM_MOUNT_POINTS.stream(), spec.binds().stream().map(BindMount::target))
                        .allMatch(target -> Files.isDirectory(root.resolve(target.substring(1)), LinkOption.NOFOLLOW_LINKS));
    }

    /** The spec's rlimits; where RLIMIT_NPROC enforces the PID limit, that one too, unless the spec sets nproc itself. */
    private static List<ResourceLimit> rlimits(ContainerSpec spec, PidLimitMechanism pidLimit) {
        List<ResourceLimit> limits = new ArrayList<>(spec.rlimits());
        if (pidLimit == PidLimitMechanism.RLIMIT_NPROC && limits.stream().noneMatch(limit -> limit.name().equals("nproc"))) {
            limits.add(new ResourceLimit("nproc", spec.pidsLimit(), spec.pidsLimit()));
        }
        return List.copyOf(limits);
    }

    private static List<String> processOptions(EffectiveProcess effective) {
        List<String> args = new ArrayList<>();
        ContainerUser user = effective.user();
        args.addAll(List.of("--uid", Integer.toString(user.uid()), "--gid", Integer.toString(user.gid())));
        List<String> caps = effective.capabilities();
        args.addAll(List.of("--caps", caps.isEmpty() ? "none" : String.join(",", caps)));
        args.add("--no-new-privs");
        effective.seccompFile().ifPresent(file -> args.addAll(List.of("--seccomp", file.toString())));
        for (ResourceLimit limit : effective.rlimits()) {
            args.addAll(List.of("--rlimit", limit.launcherArgument()));
        }
        effective.env().forEach((key, value) -> args.addAll(List.of("--env", key + "=" + value)));
        args.addAll(List.of("--chdir", effective.workdir()));
        return args;
    }

    /** Defaults, then the image's, then the spec's: later ones win. */
    private static Map<String, String> environment(ContainerSpec spec, ImageDefaults image, ContainerUser user) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", ContainerSpec.DEFAULT_PATH);
        env.put("HOME", user.isRoot() ? "/root" : "/");
        spec.hostname().ifPresent(name -> env.put("HOSTNAME", name));
        for (String entry : image.env()) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        env.putAll(spec.env());
        return env;
    }

    private static ContainerUser imageUser(String user) {
        try {
            return ContainerUser.parse("user", user);
        } catch (InvalidSpecException e) {
            throw new SandboxException("the image's user \"" + user + "\" is not UID[:GID] (names are not looked up); "
                    + "set user = \"UID[:GID]\" in the spec", e);
        }
    }
}
