package io.github.junitsandbox.runtime.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The mount ops that build rootfs {@code host}: an empty tmpfs root with read-only binds of the
 * host's system directories and of an allowlist of {@code /etc} entries (what programs need to
 * run: users and groups, name service, the dynamic linker, certificates, time zone, Java's
 * configuration; never {@code shadow} or other secrets). Symlinks are reproduced as symlinks, so
 * that a merged-/usr system ({@code /bin -> usr/bin}) looks the same inside.
 */
public final class HostView {

    static final List<String> SYSTEM_DIRECTORIES = List.of("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "opt");

    static final Set<String> ETC_ENTRIES = Set.of("passwd", "group", "nsswitch.conf", "hosts", "host.conf", "resolv.conf",
            "gai.conf", "ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "ssl", "ca-certificates",
            "ca-certificates.conf", "pki", "os-release", "debian_version", "lsb-release", "localtime", "timezone", "mime.types",
            "services", "protocols", "profile", "profile.d", "bash.bashrc", "shells", "inputrc", "mtab");

    private static final String ETC_JAVA_PREFIX = "java-";

    private final List<String> mountArguments;

    private HostView(List<String> mountArguments) {
        this.mountArguments = List.copyOf(mountArguments);
    }

    /**
     * Reads the host's layout once: it does not change while the JVM runs.
     *
     * @param hostRoot {@code /}, or a faithful copy of a host tree in tests
     */
    public static HostView of(Path hostRoot) {
        List<String> args = new ArrayList<>(List.of("--root-tmpfs"));
        for (String dir : SYSTEM_DIRECTORIES) {
            addEntry(args, hostRoot.resolve(dir), "/" + dir);
        }
        Path etc = hostRoot.resolve("etc");
        if (Files.isDirectory(etc)) {
            args.addAll(List.of("--dir", "/etc"));
            for (String name : etcEntries(etc)) {
                addEntry(args, etc.resolve(name), "/etc/" + name);
            }
        }
        return new HostView(args);
    }

    /** The launcher's SETUP flags, starting with {@code --root-tmpfs}. */
    public List<String> mountArguments() {
        return mountArguments;
    }

    private static void addEntry(List<String> args, Path hostPath, String inside) {
        try {
            if (Files.isSymbolicLink(hostPath)) {
                args.addAll(List.of("--symlink", Files.readSymbolicLink(hostPath).toString(), inside));
            } else if (Files.exists(hostPath, LinkOption.NOFOLLOW_LINKS)) {
                args.addAll(List.of("--ro-bind", hostPath.toString(), inside));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the symlink " + hostPath + " for the host view", e);
        }
    }

    private static Set<String> etcEntries(Path etc) {
        Set<String> names = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(etc)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (ETC_ENTRIES.contains(name) || name.startsWith(ETC_JAVA_PREFIX)) {
                    names.add(name);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + etc + " for the host view", e);
        }
        return names;
    }
}
