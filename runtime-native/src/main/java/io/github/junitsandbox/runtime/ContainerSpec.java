package io.github.junitsandbox.runtime;

import io.github.junitsandbox.runtime.cgroup.CgroupLimits;
import io.github.junitsandbox.runtime.cgroup.DeviceAllowlist;
import io.github.junitsandbox.runtime.os.ThisProcess;
import io.github.junitsandbox.runtime.rootfs.HostRootfsProvider;
import io.github.junitsandbox.runtime.rootfs.RootfsProvider;
import io.github.junitsandbox.runtime.rootfs.RootfsSchemes;
import io.github.junitsandbox.runtime.seccomp.SeccompPolicy;
import io.github.junitsandbox.runtime.seccomp.SeccompProfileException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a container is made of: immutable, validated when built. Each builder method corresponds to
 * a {@code @Sandbox} attribute and a rejected value throws {@link InvalidSpecException} naming it,
 * the value and what is accepted. Defaults are those of DESIGN.md: rootfs {@code host}; namespaces
 * PID, UTS, IPC, MOUNT, NET, CGROUP (USER added when the JVM is not root); hostname
 * {@code sandbox}; network {@code none}; uid 0 with Docker's default capabilities; no_new_privs;
 * the default seccomp profile; Docker's masked and read-only paths; 1024 PIDs; no memory limit;
 * {@code nofile} 1024:1024.
 */
public final class ContainerSpec {

    public static final Set<Namespace> DEFAULT_NAMESPACES = Collections.unmodifiableSet(
            EnumSet.of(Namespace.PID, Namespace.UTS, Namespace.IPC, Namespace.MOUNT, Namespace.NET, Namespace.CGROUP));

    public static final String DEFAULT_HOSTNAME = "sandbox";

    public static final int DEFAULT_PIDS_LIMIT = 1024;

    /** The pids controller's ceiling ({@code PID_MAX_LIMIT}). */
    public static final int MAX_PIDS_LIMIT = 4_194_304;
    /** The smallest memory limit accepted, as Docker's: what sandbox-init and a shell need to start. */
    public static final long MIN_MEMORY_BYTES = 6L << 20;

    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** What uid 0 inside keeps: Docker's default set. Any other uid gets none. */
    public static final List<String> DEFAULT_ROOT_CAPABILITIES = Capabilities.DOCKER_DEFAULT;

    /** The size of {@code /dev/shm}, as Docker's: a process filling it fills memory, so it is bounded like the rest. */
    public static final long DEFAULT_SHM_BYTES = 64L << 20;

    public static final ResourceLimit DEFAULT_NOFILE = new ResourceLimit("nofile", 1024, 1024);

    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9.-]{1,64}");

    private final Builder given;
    private final Set<Namespace> namespaces;
    private final Network network;
    private final Optional<String> hostname;

    private ContainerSpec(Builder given, Set<Namespace> namespaces, Network network, Optional<String> hostname) {
        this.given = given;
        this.namespaces = Collections.unmodifiableSet(namespaces);
        this.network = network;
        this.hostname = hostname;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding what this spec was built from; building it unchanged gives an equal spec. */
    public Builder toBuilder() {
        return given.copy();
    }

    public RootfsProvider rootfs() {
        return given.rootfs;
    }

    /** The namespaces the container gets, USER included when it was added because the JVM is not root. */
    public Set<Namespace> namespaces() {
        return namespaces;
    }

    /** The hostname set inside; empty when the container has no UTS namespace of its own. */
    public Optional<String> hostname() {
        return hostname;
    }

    public Network network() {
        return network;
    }

    public OptionalLong memoryLimitBytes() {
        return given.memoryBytes;
    }

    public OptionalLong memorySwapLimitBytes() {
        return given.memorySwapBytes;
    }

    /** The size of the tmpfs at {@code /dev/shm} (with a mount namespace). */
    public long shmSizeBytes() {
        return given.shmBytes;
    }

    /** The PID limit, or 0 for none. */
    public int pidsLimit() {
        return given.pids;
    }

    /**
     * Whether {@link #pidsLimit()} was given rather than left at {@link #DEFAULT_PIDS_LIMIT}: a given limit is enforced by
     * the cgroup or the launch fails; the default may fall back to {@code RLIMIT_NPROC} (see {@link PidLimitMechanism}).
     */
    public boolean pidsLimitGiven() {
        return given.pidsGiven;
    }

    public OptionalDouble cpus() {
        return given.cpus;
    }

    /** The subject's argv; empty for an idle container. */
    public List<String> command() {
        return List.copyOf(given.command);
    }

    /** The environment entries given, in order; the launch adds PATH, HOME and HOSTNAME when these do not set them. */
    public Map<String, String> env() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(given.env));
    }

    /** The working directory given; empty means the image's, else {@code /}. */
    public Optional<String> workdir() {
        return given.workdir;
    }

    /** The credentials given; empty means the image's, else {@code 0:0}. */
    public Optional<ContainerUser> user() {
        return given.user;
    }

    public boolean readOnlyRoot() {
        return given.readOnlyRoot;
    }

    /** The host devices named in {@code devices}, beyond Docker's default set. */
    public List<DeviceNode> devices() {
        return List.copyOf(given.devices);
    }

    /** What the container's device cgroup allows: Docker's default set and the devices named. */
    public DeviceAllowlist deviceAllowlist() {
        return DeviceAllowlist.DOCKER_DEFAULT.with(given.devices.stream().map(DeviceNode::rule).toList());
    }

    public List<BindMount> binds() {
        return List.copyOf(given.binds);
    }

    public Optional<Duration> timeout() {
        return given.timeout;
    }

    /** The rlimits applied, one per name; {@code nofile} 1024:1024 unless given. */
    public List<ResourceLimit> rlimits() {
        return List.copyOf(given.rlimits.values());
    }

    /** The capabilities a process running as {@code user} keeps: Docker's default changed by {@link #capabilities()} for uid 0, none otherwise. */
    public List<String> capabilitiesFor(ContainerUser user) {
        return given.capabilities.effectiveFor(user, grantableCapabilities());
    }

    /** In a user namespace of its own a container may hold every capability; without one, only what the JVM's bounding set has. */
    private Set<String> grantableCapabilities() {
        return namespaces.contains(Namespace.USER) ? Capabilities.all() : Capabilities.boundingSetOfThisJvm();
    }

    /** The changes given to the default capabilities. */
    public Capabilities capabilities() {
        return given.capabilities;
    }

    /** The seccomp filter the container's processes run under. */
    public SeccompPolicy seccomp() {
        return given.seccomp;
    }

    /** Which of Docker's masked and read-only paths are hidden or read-only here. */
    public SystemPaths systemPaths() {
        return given.systemPaths;
    }

    /** The limits the container's cgroup enforces. */
    public CgroupLimits cgroupLimits() {
        return new CgroupLimits(given.memoryBytes, given.memorySwapBytes,
                given.pids == 0 ? OptionalLong.empty() : OptionalLong.of(given.pids), given.cpus);
    }

    /** The effective spec, one attribute per line, as {@code @Sandbox} names them: for reports. */
    public String describe() {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("rootfs", given.rootfs.describe());
        lines.put("namespaces", namespaces.stream().map(Namespace::name).collect(Collectors.joining(", ")));
        lines.put("hostname", hostname.orElse("(the host's: no UTS namespace)"));
        lines.put("network", network.attributeValue());
        lines.put("memory", given.memoryBytes.isPresent() ? ByteSizes.format(given.memoryBytes.getAsLong()) : "no limit");
        lines.put("memorySwap", given.memorySwapBytes.isPresent() ? ByteSizes.format(given.memorySwapBytes.getAsLong())
                : given.memoryBytes.isPresent() ? "= memory (no swap)" : "no limit");
        lines.put("shmSize", ByteSizes.format(given.shmBytes));
        lines.put("pids", given.pids == 0 ? "no limit" : given.pids + (given.pidsGiven ? "" : " (the default)"));
        lines.put("cpus", given.cpus.isPresent() ? Double.toString(given.cpus.getAsDouble()) : "no limit");
        lines.put("command", given.command.isEmpty() ? "(none: idle container)" : quoted(given.command));
        lines.put("env", given.env.isEmpty() ? "(defaults: PATH, HOME, HOSTNAME)"
                : given.env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
        lines.put("workdir", given.workdir.orElse("(the image's, else /)"));
        lines.put("user", given.user.map(u -> u + capabilitiesText(u)).orElse("(the image's, else 0:0" + capabilitiesText(ContainerUser.ROOT) + ")"));
        List<String> withheld = given.capabilities.withheldFromAll(grantableCapabilities());
        lines.put("capabilities", given.capabilities + (withheld.isEmpty() ? "" : " (ALL without " + String.join(", ", withheld)
                + ": not in this JVM's bounding set)"));
        lines.put("seccomp", given.seccompDescription);
        lines.put("unmaskedPaths", given.systemPaths.toString());
        lines.put("readOnlyRoot", Boolean.toString(given.readOnlyRoot));
        lines.put("devices", "Docker's default set" + given.devices.stream().map(d -> ", " + d).collect(Collectors.joining()));
        lines.put("binds", given.binds.isEmpty() ? "none" : given.binds.stream().map(BindMount::toString).collect(Collectors.joining(", ")));
        lines.put("timeout", given.timeout.map(Duration::toString).orElse("none"));
        lines.put("rlimits", given.rlimits.values().stream().map(ResourceLimit::launcherArgument).collect(Collectors.joining(", ")));
        return lines.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("\n"));
    }

    private String capabilitiesText(ContainerUser user) {
        List<String> caps = capabilitiesFor(user);
        return ", capabilities " + (caps.isEmpty() ? "none" : String.join(",", caps)) + ", no_new_privs";
    }

    private static String quoted(List<String> argv) {
        return argv.stream().map(a -> "\"" + a + "\"").collect(Collectors.joining(", ", "[", "]"));
    }

    @Override
    public String toString() {
        return "ContainerSpec{" + describe().replace("\n", "; ") + "}";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContainerSpec other && describe().equals(other.describe());
    }

    @Override
    public int hashCode() {
        return describe().hashCode();
    }

    /** Collects attribute values; each setter validates its value, {@link #build()} how they combine. */
    public static final class Builder {
        private RootfsProvider rootfs = HostRootfsProvider.INSTANCE;
        private Set<Namespace> namespaces;
        private String hostname;
        private Network network;
        private OptionalLong memoryBytes = OptionalLong.empty();
        private OptionalLong memorySwapBytes = OptionalLong.empty();
        private long shmBytes = DEFAULT_SHM_BYTES;
        private int pids = DEFAULT_PIDS_LIMIT;
        private boolean pidsGiven;
        private OptionalDouble cpus = OptionalDouble.empty();
        private List<String> command = List.of();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Optional<String> workdir = Optional.empty();
        private Optional<ContainerUser> user = Optional.empty();
        private boolean readOnlyRoot;
        private final List<BindMount> binds = new ArrayList<>();
        private final List<DeviceNode> devices = new ArrayList<>();
        private Optional<Duration> timeout = Optional.empty();
        private final Map<String, ResourceLimit> rlimits = new LinkedHashMap<>(Map.of(DEFAULT_NOFILE.name(), DEFAULT_NOFILE));
        private Capabilities capabilities = Capabilities.NO_CHANGES;
        private SeccompPolicy seccomp = SeccompPolicy.defaultPolicy();
        private String seccompDescription = "default";
        private SystemPaths systemPaths = SystemPaths.DOCKER_DEFAULT;

        private Builder() {
        }

        /** {@code rootfs}: {@code host}, {@code dir:PATH}, or a scheme a {@link io.github.junitsandbox.runtime.rootfs.RootfsScheme} service adds. */
        public Builder rootfs(String value) {
            this.rootfs = RootfsSchemes.load().parse(value);
            return this;
        }

        /** {@code rootfs}: a custom source. */
        public Builder rootfs(RootfsProvider provider) {
            this.rootfs = Objects.requireNonNull(provider, "rootfs provider");
            return this;
        }

        /** {@code namespaces}: exactly these (USER is still added when the JVM is not root). */
        public Builder namespaces(Namespace... namespaces) {
            if (namespaces == null || Arrays.stream(namespaces).anyMatch(Objects::isNull)) {
                throw new InvalidSpecException("namespaces", Arrays.toString(namespaces), "Namespace constants, no null");
            }
            this.namespaces = namespaces.length == 0 ? EnumSet.noneOf(Namespace.class) : EnumSet.copyOf(Arrays.asList(namespaces));
            return this;
        }

        /** {@code namespaces}, as a collection. */
        public Builder namespaces(Set<Namespace> namespaces) {
            return namespaces(namespaces.toArray(new Namespace[0]));
        }

        /** {@code hostname}: 1-64 letters, digits, dots and dashes; needs UTS. */
        public Builder hostname(String hostname) {
            if (hostname == null || !HOSTNAME.matcher(hostname).matches()) {
                throw new InvalidSpecException("hostname", hostname, "1 to 64 characters among A-Z a-z 0-9 . -");
            }
            this.hostname = hostname;
            return this;
        }

        /** {@code network}: {@code none} or {@code host}. */
        public Builder network(String network) {
            return network(Network.parse(network));
        }

        public Builder network(Network network) {
            this.network = Objects.requireNonNull(network, "network");
            return this;
        }

        /** {@code memory}: bytes, or a number with k, m or g. */
        public Builder memoryLimit(String size) {
            this.memoryBytes = OptionalLong.of(requireRunnableMemory(size, ByteSizes.parse("memory", size)));
            return this;
        }

        public Builder memoryLimit(long bytes) {
            if (bytes <= 0) {
                throw new InvalidSpecException("memory", bytes, ByteSizes.ACCEPTED);
            }
            this.memoryBytes = OptionalLong.of(requireRunnableMemory(bytes, bytes));
            return this;
        }

        /** Below the minimum, the kernel kills the container's PID 1 as it starts: a container that never ran. */
        private static long requireRunnableMemory(Object shown, long bytes) {
            if (bytes < MIN_MEMORY_BYTES) {
                throw new InvalidSpecException("memory", shown, ByteSizes.ACCEPTED + ", at least " + ByteSizes.format(MIN_MEMORY_BYTES)
                        + " (less does not hold the container's own processes)");
            }
            return bytes;
        }

        /** {@code memorySwap}: memory plus swap, at least {@code memory}; default equal to it (no swap). */
        public Builder memorySwapLimit(String size) {
            this.memorySwapBytes = OptionalLong.of(ByteSizes.parse("memorySwap", size));
            return this;
        }

        /** {@code shmSize}: the size of {@code /dev/shm}, bytes or a number with k, m or g (binary); default 64m. */
        public Builder shmSize(String size) {
            this.shmBytes = ByteSizes.parse("shmSize", size);
            return this;
        }

        /** {@code pids}: 1 to 4194304, or 0 for no limit. */
        public Builder pidsLimit(int pids) {
            if (pids < 0 || pids > MAX_PIDS_LIMIT) {
                throw new InvalidSpecException("pids", pids, "1 to " + MAX_PIDS_LIMIT + ", or 0 for no limit");
            }
            this.pids = pids;
            this.pidsGiven = true;
            return this;
        }

        /** {@code cpus}: a CPU quota, more than 0 (1.5 = one and a half CPUs). */
        public Builder cpus(double cpus) {
            if (!(cpus > 0) || Double.isInfinite(cpus)) {
                throw new InvalidSpecException("cpus", cpus, "a finite number of CPUs greater than 0, such as 0.5 or 2");
            }
            this.cpus = OptionalDouble.of(cpus);
            return this;
        }

        /** {@code command}: the subject's argv; argv[0] absolute or found on the rootfs's PATH. None: an idle container. */
        public Builder command(String... argv) {
            if (argv == null) {
                throw new InvalidSpecException("command", null, "an argv array (empty for an idle container)");
            }
            List<String> args = Arrays.asList(argv.clone());
            if (args.stream().anyMatch(a -> a == null || a.indexOf('\0') >= 0)) {
                throw new InvalidSpecException("command", args.toString(), "arguments without null or NUL characters");
            }
            if (!args.isEmpty() && args.get(0).isEmpty()) {
                throw new InvalidSpecException("command", args.toString(), "a non-empty program name or path as the first element");
            }
            this.command = List.copyOf(args);
            return this;
        }

        public Builder command(List<String> argv) {
            return command(argv.toArray(new String[0]));
        }

        /** {@code env}: {@code KEY=value} entries, added to (and overriding) the defaults. */
        public Builder env(String... entries) {
            if (entries == null) {
                throw new InvalidSpecException("env", null, "an array of KEY=value entries");
            }
            Map<String, String> parsed = new LinkedHashMap<>();
            for (String entry : entries) {
                int eq = entry == null ? -1 : entry.indexOf('=');
                if (eq <= 0) {
                    throw new InvalidSpecException("env", entry, "KEY=value with a non-empty KEY");
                }
                parsed.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
            return env(parsed);
        }

        public Builder env(Map<String, String> entries) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                String key = e.getKey();
                String value = e.getValue();
                if (key == null || key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
                    throw new InvalidSpecException("env", key + "=" + value, "KEY=value with a non-empty KEY without = or NUL");
                }
                if (value == null || value.indexOf('\0') >= 0) {
                    throw new InvalidSpecException("env", key + "=" + value, "a value without NUL characters");
                }
            }
            this.env.putAll(entries);
            return this;
        }

        /** {@code workdir}: an absolute path inside the container. */
        public Builder workdir(String dir) {
            if (dir == null || !dir.startsWith("/") || dir.indexOf('\0') >= 0) {
                throw new InvalidSpecException("workdir", dir, "an absolute path inside the container, such as /work");
            }
            this.workdir = Optional.of(dir);
            return this;
        }

        /** {@code user}: {@code UID[:GID]} (GID defaults to UID). */
        public Builder user(String user) {
            this.user = Optional.of(ContainerUser.parse("user", user));
            return this;
        }

        public Builder user(int uid, int gid) {
            this.user = Optional.of(new ContainerUser(uid, gid));
            return this;
        }

        /** {@code readOnlyRoot}: the root filesystem is mounted read-only (binds and /tmp stay as they are). */
        public Builder readOnlyRoot(boolean readOnly) {
            this.readOnlyRoot = readOnly;
            return this;
        }

        /** {@code @Bind}: an existing host path, visible at an absolute path inside, nodev and nosuid; repeatable. */
        public Builder bind(String source, String target, boolean readOnly) {
            return bind(source, target, readOnly, false);
        }

        /**
         * {@code @Bind} with {@code keepDevicesAndSetuid}: device nodes open and setuid bits count through it, as on the host
         * (the rare test that needs a device; an explicit loosening).
         */
        public Builder bind(String source, String target, boolean readOnly, boolean keepDevicesAndSetuid) {
            String value = source + " -> " + target;
            if (!existsOnHost(source)) {
                throw new InvalidSpecException("bind", value, "a source path that exists on the host");
            }
            if (target == null || !target.startsWith("/") || target.equals("/")) {
                throw new InvalidSpecException("bind", value, "an absolute target path inside the container, other than /");
            }
            binds.add(new BindMount(Path.of(source).toAbsolutePath().normalize(), target, readOnly, keepDevicesAndSetuid));
            return this;
        }

        /**
         * {@code devices}: the host device nodes the container may use beyond Docker's default set ({@code /dev/fuse}, or
         * {@code /dev/fuse:rw} to allow less than rwm), each bound at the same path inside; replaces those given before.
         */
        public Builder devices(String... devices) {
            List<DeviceNode> parsed = Arrays.stream(devices).map(DeviceNode::parse).toList();
            this.devices.clear();
            this.devices.addAll(parsed);
            return this;
        }

        /** False too for what cannot name a file here: NUL, characters the file-name encoding ({@code sun.jnu.encoding}) lacks. */
        private static boolean existsOnHost(String path) {
            try {
                return path != null && !path.isEmpty() && Files.exists(Path.of(path));
            } catch (InvalidPathException e) {
                return false;
            }
        }

        /** {@code timeout}: how long a test may use the container (the extension enforces it). */
        public Builder timeout(String duration) {
            this.timeout = Optional.of(Durations.parse("timeout", duration));
            return this;
        }

        public Builder timeout(Duration duration) {
            if (duration == null) {
                throw new InvalidSpecException("timeout", null, Durations.ACCEPTED);
            }
            this.timeout = Optional.of(Durations.requirePositive("timeout", duration, duration));
            return this;
        }

        /** {@code rlimits}: one limit by the launcher's name; replaces an earlier one of the same name. */
        public Builder rlimit(String name, long soft, long hard) {
            ResourceLimit limit = new ResourceLimit(name, soft, hard);
            rlimits.put(limit.name(), limit);
            return this;
        }

        /**
         * {@code capabilities}: changes to Docker's default set of uid 0, {@code +NAME} adds, {@code -NAME}
         * drops, in order; NAME is a capability of capabilities(7) with or without {@code CAP_}, or {@code ALL}.
         */
        public Builder capabilities(String... changes) {
            this.capabilities = Capabilities.parse(changes);
            return this;
        }

        /** {@code seccomp}: {@code default}, {@code unconfined}, or the path of a profile in Docker's JSON format. */
        public Builder seccomp(String value) {
            if (value == null) {
                throw new InvalidSpecException("seccomp", null, SeccompPolicy.ACCEPTED);
            }
            try {
                this.seccomp = SeccompPolicy.parse(value);
            } catch (SeccompProfileException e) {
                throw new InvalidSpecException("seccomp", value, SeccompPolicy.ACCEPTED + "; this file is not one: " + e.getMessage());
            }
            this.seccompDescription = value;
            return this;
        }

        /** {@code seccomp}: a policy built in code. */
        public Builder seccomp(SeccompPolicy policy) {
            this.seccomp = Objects.requireNonNull(policy, "seccomp policy");
            this.seccompDescription = policy instanceof SeccompPolicy.Unconfined ? "unconfined"
                    : policy.equals(SeccompPolicy.defaultPolicy()) ? "default" : "a profile given in code (" + policy.hashCode() + ")";
            return this;
        }

        /**
         * {@code unmaskedPaths}: which of Docker's masked paths ({@link SystemPaths#MASKED}) and read-only
         * paths ({@link SystemPaths#READ_ONLY}) the container sees as the kernel shows them; {@code ALL} for every one.
         */
        public Builder unmaskedPaths(String... paths) {
            this.systemPaths = SystemPaths.unmasking(paths);
            return this;
        }

        /**
         * Checks how the values combine and builds the spec.
         *
         * @throws InvalidSpecException naming the attribute that cannot be honoured with the others
         */
        public ContainerSpec build() {
            return build(ThisProcess.isRoot());
        }

        ContainerSpec build(boolean rootOutside) {
            Set<Namespace> effective = namespaces == null ? EnumSet.copyOf(DEFAULT_NAMESPACES) : EnumSet.copyOf(namespacesOrEmpty());
            applyNetwork(effective);
            if (!rootOutside) {
                effective.add(Namespace.USER);
            }
            Optional<String> effectiveHostname = effectiveHostname(effective);
            requireMountNamespaceFor(effective);
            requireSwapAboveMemory();
            requireRootForAddedCapabilities();
            return new ContainerSpec(copy(), effective, effective.contains(Namespace.NET) ? Network.NONE : Network.HOST, effectiveHostname);
        }

        private Set<Namespace> namespacesOrEmpty() {
            return namespaces.isEmpty() ? EnumSet.noneOf(Namespace.class) : namespaces;
        }

        private void applyNetwork(Set<Namespace> effective) {
            if (network == Network.NONE && namespaces != null && !namespaces.contains(Namespace.NET)) {
                throw new InvalidSpecException("network", "none",
                        "none only with NET among namespaces (namespaces = " + namespaces + "); add NET, or use network = host");
            }
            if (network == Network.HOST) {
                if (namespaces != null && namespaces.contains(Namespace.NET)) {
                    throw new InvalidSpecException("network", "host",
                            "host only without NET among namespaces (namespaces = " + namespaces + "); remove NET, or use network = none");
                }
                effective.remove(Namespace.NET);
            }
        }

        private Optional<String> effectiveHostname(Set<Namespace> effective) {
            if (!effective.contains(Namespace.UTS)) {
                if (hostname != null) {
                    throw new InvalidSpecException("hostname", hostname,
                            "a hostname only with UTS among namespaces (namespaces = " + effective + "); add UTS");
                }
                return Optional.empty();
            }
            return Optional.of(hostname == null ? DEFAULT_HOSTNAME : hostname);
        }

        private void requireMountNamespaceFor(Set<Namespace> effective) {
            if (effective.contains(Namespace.MOUNT)) {
                return;
            }
            String why = " only with MOUNT among namespaces (namespaces = " + effective + "): without it the container shares the host's filesystem";
            if (rootfs != HostRootfsProvider.INSTANCE) {
                throw new InvalidSpecException("rootfs", rootfs.describe(), "host" + why);
            }
            if (!binds.isEmpty()) {
                throw new InvalidSpecException("bind", binds.get(0).toString(), "binds" + why);
            }
            if (!devices.isEmpty()) {
                throw new InvalidSpecException("devices", devices.get(0).toString(), "devices" + why);
            }
            if (readOnlyRoot) {
                throw new InvalidSpecException("readOnlyRoot", true, "readOnlyRoot = true" + why);
            }
        }

        /** Capabilities added for another uid would be lost at its execve: refused rather than silently not granted. */
        private void requireRootForAddedCapabilities() {
            if (capabilities.adds() && user.isPresent() && !user.get().isRoot()) {
                throw new InvalidSpecException("capabilities", capabilities.toString(),
                        "additions only for uid 0 (user = " + user.get() + " holds no capabilities); drop user, or add none");
            }
        }

        private void requireSwapAboveMemory() {
            if (memorySwapBytes.isEmpty()) {
                return;
            }
            String swap = ByteSizes.format(memorySwapBytes.getAsLong());
            if (memoryBytes.isEmpty()) {
                throw new InvalidSpecException("memorySwap", swap, "a memory+swap limit only together with a memory limit");
            }
            if (memorySwapBytes.getAsLong() < memoryBytes.getAsLong()) {
                throw new InvalidSpecException("memorySwap", swap,
                        "at least memory (" + ByteSizes.format(memoryBytes.getAsLong()) + "): it counts memory plus swap");
            }
        }

        private Builder copy() {
            Builder b = new Builder();
            b.rootfs = rootfs;
            b.namespaces = namespaces == null ? null : EnumSet.copyOf(namespacesOrEmpty());
            b.hostname = hostname;
            b.network = network;
            b.memoryBytes = memoryBytes;
            b.memorySwapBytes = memorySwapBytes;
            b.shmBytes = shmBytes;
            b.pids = pids;
            b.pidsGiven = pidsGiven;
            b.cpus = cpus;
            b.command = command;
            b.env.putAll(env);
            b.workdir = workdir;
            b.user = user;
            b.readOnlyRoot = readOnlyRoot;
            b.binds.addAll(binds);
            b.devices.addAll(devices);
            b.timeout = timeout;
            b.rlimits.clear();
            b.rlimits.putAll(rlimits);
            b.capabilities = capabilities;
            b.seccomp = seccomp;
            b.seccompDescription = seccompDescription;
            b.systemPaths = systemPaths;
            return b;
        }
    }
}
