package io.github.junitsandbox.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code capabilities} attribute: changes to Docker's default set of uid 0, each {@code +NAME}
 * (add) or {@code -NAME} (drop), applied in order; {@code ALL} stands for every capability this
 * kernel knows ({@code -ALL} then {@code +KILL} keeps KILL alone). Names are those of
 * {@code capabilities(7)}, with or without {@code CAP_}, in any case.
 *
 * @param changes the changes as given, normalised to {@code +name} / {@code -name} in the launcher's lower-case spelling
 */
public record Capabilities(List<String> changes) {

    /** What uid 0 inside keeps without changes: Docker's default set of 14. */
    public static final List<String> DOCKER_DEFAULT = List.of("chown", "dac_override", "fowner", "fsetid", "kill",
            "setgid", "setuid", "setpcap", "net_bind_service", "net_raw", "sys_chroot", "mknod", "audit_write", "setfcap");

    /** Indexed by capability number, as in linux/capability.h and the launcher's table. */
    private static final List<String> NAMES = List.of("chown", "dac_override", "dac_read_search", "fowner", "fsetid",
            "kill", "setgid", "setuid", "setpcap", "linux_immutable", "net_bind_service", "net_broadcast", "net_admin",
            "net_raw", "ipc_lock", "ipc_owner", "sys_module", "sys_rawio", "sys_chroot", "sys_ptrace", "sys_pacct",
            "sys_admin", "sys_boot", "sys_nice", "sys_resource", "sys_time", "sys_tty_config", "mknod", "lease",
            "audit_write", "audit_control", "setfcap", "mac_override", "mac_admin", "syslog", "wake_alarm",
            "block_suspend", "audit_read", "perfmon", "bpf", "checkpoint_restore");

    private static final Path CAP_LAST_CAP = Path.of("/proc/sys/kernel/cap_last_cap");

    public static final Capabilities NO_CHANGES = new Capabilities(List.of());

    public Capabilities {
        changes = List.copyOf(changes);
    }

    /**
     * @throws InvalidSpecException naming the entry that is neither {@code +NAME} nor {@code -NAME} of a
     *                              capability this kernel knows, with the accepted names
     */
    public static Capabilities parse(String... entries) {
        List<String> known = kernelNames();
        List<String> changes = new ArrayList<>();
        for (String entry : entries) {
            if (entry == null || entry.length() < 2 || (entry.charAt(0) != '+' && entry.charAt(0) != '-')) {
                throw new InvalidSpecException("capabilities", entry, "+NAME to add or -NAME to drop, NAME one of ALL, "
                        + String.join(", ", upper(known)));
            }
            String name = entry.substring(1).toLowerCase(Locale.ROOT);
            name = name.startsWith("cap_") ? name.substring(4) : name;
            if (!name.equals("all") && !known.contains(name)) {
                throw new InvalidSpecException("capabilities", entry, "a capability this kernel knows after + or -: ALL, "
                        + String.join(", ", upper(known)));
            }
            changes.add(entry.charAt(0) + name);
        }
        return new Capabilities(changes);
    }

    /** Whether some change adds a capability. */
    public boolean adds() {
        return changes.stream().anyMatch(c -> c.startsWith("+"));
    }

    /**
     * The set a process running as {@code user} holds: Docker's default with the changes for uid 0, none for the others.
     * {@code ALL} means every capability in {@code grantable}; a capability added by name that is not grantable is
     * refused, never silently left out.
     *
     * @param grantable what the launcher can hand on: everything inside a user namespace of the container's own, else
     *     the JVM's bounding set ({@link #boundingSetOfThisJvm()})
     * @throws UnsupportedHostException for {@code +NAME} outside {@code grantable}
     */
    public List<String> effectiveFor(ContainerUser user, Set<String> grantable) {
        if (!user.isRoot()) {
            return List.of();
        }
        Set<String> caps = new LinkedHashSet<>(DOCKER_DEFAULT);
        for (String change : changes) {
            String name = change.substring(1);
            if (change.startsWith("+") && !name.equals("all") && !grantable.contains(name)) {
                throw new UnsupportedHostException("capabilities = \"" + change + "\" cannot be granted here: this JVM's bounding set (CapBnd"
                        + " in /proc/self/status) lacks " + name.toUpperCase(Locale.ROOT) + ", as under a container runtime or a service that"
                        + " dropped it; run the JVM with it, or use ALL, which means every capability this host allows");
            }
            List<String> named = name.equals("all") ? kernelNames().stream().filter(grantable::contains).toList() : List.of(name);
            if (change.startsWith("+")) {
                caps.addAll(named);
            } else {
                caps.removeAll(named);
            }
        }
        // In the kernel's order, so that equal sets read the same.
        return NAMES.stream().filter(caps::contains).toList();
    }

    /** The capabilities {@code ALL} leaves out because they are not in {@code grantable}: for reports. */
    public List<String> withheldFromAll(Set<String> grantable) {
        return changes.contains("+all") ? kernelNames().stream().filter(name -> !grantable.contains(name)).toList() : List.of();
    }

    /** Every capability name this kernel knows: what a process holds in a user namespace of its own. */
    public static Set<String> all() {
        return HostSets.ALL;
    }

    /** The JVM's bounding set (CapBnd in /proc/self/status): the most a launcher it starts can hand on without a user namespace. */
    public static Set<String> boundingSetOfThisJvm() {
        return HostSets.BOUNDING;
    }

    /**
     * Whether this JVM holds CAP_SYS_ADMIN over the host: effective, in the initial user namespace (whose uid map is the
     * whole identity, {@code 0 0 4294967295}). What writing cgroup v1's devices files and loading a device program take:
     * a root JVM in a container without the capability, or in a user namespace, has it not.
     */
    public static boolean jvmAdministersTheHost() {
        return HostSets.ADMINISTERS_THE_HOST;
    }

    /** Read once per JVM, on the first launch that needs them: neither the kernel's list nor the JVM's own sets change. */
    private static final class HostSets {
        static final Set<String> ALL = Set.copyOf(kernelNames());
        static final Set<String> BOUNDING = readSet("CapBnd:");
        static final boolean ADMINISTERS_THE_HOST = readSet("CapEff:").contains("sys_admin") && inTheInitialUserNamespace();

        private static boolean inTheInitialUserNamespace() {
            try {
                return Files.readString(Path.of("/proc/self/uid_map")).trim().matches("0\\s+0\\s+4294967295");
            } catch (IOException e) {
                return false;
            }
        }

        /** A capability set of this process as /proc/self/status has it ({@code CapBnd:}, {@code CapEff:}); all where unreadable. */
        private static Set<String> readSet(String field) {
            try {
                long mask = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith(field))
                        .map(l -> Long.parseUnsignedLong(l.substring(field.length()).trim(), 16)).findFirst().orElse(-1L);
                Set<String> bounding = new LinkedHashSet<>();
                for (int bit = 0; bit < NAMES.size(); bit++) {
                    if ((mask & (1L << bit)) != 0) {
                        bounding.add(NAMES.get(bit));
                    }
                }
                return Collections.unmodifiableSet(bounding);
            } catch (IOException e) {
                return ALL;
            }
        }
    }

    /** Every capability name up to this kernel's last ({@code /proc/sys/kernel/cap_last_cap}). */
    public static List<String> kernelNames() {
        // Read as a stream: Files.readString trusts procfs's size of 0 and gets only the first digit of a sysctl here.
        try (InputStream in = Files.newInputStream(CAP_LAST_CAP)) {
            int last = Integer.parseInt(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
            return NAMES.subList(0, Math.min(last + 1, NAMES.size()));
        } catch (IOException | NumberFormatException e) {
            return NAMES;
        }
    }

    private static List<String> upper(List<String> names) {
        return names.stream().map(n -> n.toUpperCase(Locale.ROOT)).toList();
    }

    @Override
    public String toString() {
        return changes.isEmpty() ? "(Docker's default for uid 0, none for other uids)" : String.join(", ", changes);
    }
}
