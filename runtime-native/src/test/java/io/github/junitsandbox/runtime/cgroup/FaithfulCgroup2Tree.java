package io.github.junitsandbox.runtime.cgroup;

import io.github.junitsandbox.runtime.SandboxException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A cgroup2 hierarchy in a plain directory: the files, their content and format as Linux 6.x presents them,
 * and the kernel's reactions that the driver depends on (mkdir fills a cgroup with its interface files, the
 * controllers a child offers are those its parent enabled, {@code cgroup.subtree_control} takes {@code +c}/{@code -c}
 * and refuses a controller its cgroup does not offer or a cgroup with processes of its own, cgroup.kill empties the
 * cgroup, rmdir refuses a cgroup with processes or children). It is a faithful tree, not the kernel: the processes
 * it lists are made up, nothing is enforced, nothing is killed.
 * Every write is recorded, to check what the driver wrote.
 */
final class FaithfulCgroup2Tree extends CgroupFs {

    /** Controllers in the order the kernel lists them. */
    private static final List<String> KERNEL_ORDER = List.of("cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma", "misc");

    private final Path root;
    private final boolean cgroupKill;
    private final boolean swapAccounting;
    private final List<String> writes = new ArrayList<>();

    /**
     * @param rootControllers the root's cgroup.controllers, e.g. "cpuset cpu io memory hugetlb pids rdma misc"
     * @param cgroupKill whether cgroups have cgroup.kill (Linux 5.14 and later)
     * @param swapAccounting whether memory cgroups have memory.swap.max
     */
    FaithfulCgroup2Tree(Path root, String rootControllers, boolean cgroupKill, boolean swapAccounting) {
        this.root = root;
        this.cgroupKill = cgroupKill;
        this.swapAccounting = swapAccounting;
        // The root cgroup has no cgroup.events, cgroup.kill or limit files.
        put(root, "cgroup.controllers", rootControllers + "\n");
        put(root, "cgroup.subtree_control", "\n");
        put(root, "cgroup.procs", "1\n");
        put(root, "cgroup.threads", "1\n");
        put(root, "cgroup.max.depth", "max\n");
    }

    Path root() {
        return root;
    }

    /** What the driver wrote, as "path relative to the root: value", in order. */
    List<String> writes() {
        return writes;
    }

    @Override
    void write(Path file, String value) {
        writes.add(root.relativize(file) + ": " + value);
        String name = file.getFileName().toString();
        if (name.equals("cgroup.subtree_control")) {
            changeSubtreeControl(file, value);
        } else if (name.equals("cgroup.procs")) {
            moveProcess(file.getParent(), value.strip());
        } else if (name.equals("cgroup.kill")) {
            // The kernel kills every process of the cgroup; once they have exited it is empty.
            put(file.getParent(), "cgroup.procs", "");
            put(file.getParent(), "cgroup.events", "populated 0\nfrozen 0\n");
        } else {
            super.write(file, value);
        }
    }

    /** A process is in one cgroup: written to another's cgroup.procs, it leaves the one it was in (ESRCH if none). */
    private void moveProcess(Path to, String pid) {
        Path from = findProcess(root, pid);
        if (from == null) {
            throw new SandboxException("write \"" + pid + "\" to " + to.resolve("cgroup.procs") + ": No such process");
        }
        put(from, "cgroup.procs", pids(from).stream().filter(p -> !Integer.toString(p).equals(pid)).map(p -> p + "\n")
                .collect(Collectors.joining()));
        put(to, "cgroup.procs", pids(to).stream().map(p -> p + "\n").collect(Collectors.joining()) + pid + "\n");
    }

    private Path findProcess(Path dir, String pid) {
        if (pids(dir).stream().anyMatch(p -> Integer.toString(p).equals(pid))) {
            return dir;
        }
        return subdirectories(dir).stream().map(sub -> findProcess(sub, pid)).filter(Objects::nonNull).findFirst().orElse(null);
    }

    private void changeSubtreeControl(Path file, String value) {
        Path dir = file.getParent();
        Set<String> offered = CgroupMounts.words(read(dir.resolve("cgroup.controllers")));
        Set<String> enabled = new LinkedHashSet<>(CgroupMounts.words(read(file)));
        for (String change : value.trim().split("\\s+")) {
            String controller = change.substring(1);
            if (!offered.contains(controller)) {
                throw new SandboxException("write \"" + value + "\" to " + file + ": No such file or directory");
            }
            if (!dir.equals(root) && !pids(dir).isEmpty()) {
                throw new SandboxException("write \"" + value + "\" to " + file + ": Device or resource busy");
            }
            if (change.startsWith("+")) {
                enabled.add(controller);
            } else {
                enabled.remove(controller);
            }
        }
        put(dir, "cgroup.subtree_control", inKernelOrder(enabled) + "\n");
        // The kernel shows the change at once in every child: its cgroup.controllers and interface files.
        for (Path child : subdirectories(dir)) {
            put(child, "cgroup.controllers", inKernelOrder(enabled) + "\n");
            addInterfaceFiles(child, enabled);
        }
    }

    @Override
    void mkdir(Path dir) {
        super.mkdir(dir);
        Set<String> controllers = CgroupMounts.words(read(dir.getParent().resolve("cgroup.subtree_control")));
        put(dir, "cgroup.controllers", inKernelOrder(controllers) + "\n");
        put(dir, "cgroup.subtree_control", "\n");
        put(dir, "cgroup.procs", "");
        put(dir, "cgroup.threads", "");
        put(dir, "cgroup.type", "domain\n");
        put(dir, "cgroup.events", "populated 0\nfrozen 0\n");
        put(dir, "cgroup.freeze", "0\n");
        if (cgroupKill) {
            put(dir, "cgroup.kill", "");
        }
        addInterfaceFiles(dir, controllers);
    }

    /** The files a controller adds to a cgroup, with their initial content; files already there keep theirs. */
    private void addInterfaceFiles(Path dir, Set<String> controllers) {
        if (controllers.contains("memory")) {
            putIfAbsent(dir, "memory.current", "0\n");
            putIfAbsent(dir, "memory.max", "max\n");
            putIfAbsent(dir, "memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n");
            if (swapAccounting) {
                putIfAbsent(dir, "memory.swap.max", "max\n");
            }
        }
        if (controllers.contains("pids")) {
            putIfAbsent(dir, "pids.current", "0\n");
            putIfAbsent(dir, "pids.max", "max\n");
            putIfAbsent(dir, "pids.events", "max 0\n");
        }
        if (controllers.contains("cpu")) {
            putIfAbsent(dir, "cpu.max", "max 100000\n");
            putIfAbsent(dir, "cpu.weight", "100\n");
        }
    }

    @Override
    Rmdir rmdir(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Rmdir.ABSENT;
        }
        if (!subdirectories(dir).isEmpty() || !pids(dir).isEmpty()) {
            return Rmdir.BUSY;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
            Files.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Rmdir.REMOVED;
    }

    private void putIfAbsent(Path dir, String name, String content) {
        if (!Files.exists(dir.resolve(name))) {
            put(dir, name, content);
        }
    }

    /** Sets a file as the kernel would (not recorded as a driver write). */
    void put(Path dir, String name, String content) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String inKernelOrder(Set<String> controllers) {
        return String.join(" ", KERNEL_ORDER.stream().filter(controllers::contains).toList());
    }
}
