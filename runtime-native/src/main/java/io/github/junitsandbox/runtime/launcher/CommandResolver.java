package io.github.junitsandbox.runtime.launcher;

import io.github.junitsandbox.runtime.InvalidSpecException;
import io.github.junitsandbox.runtime.rootfs.Rootfs;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds a command's program on the container's {@code PATH}, looking into the root filesystem from
 * the host, so that the launcher is always handed an absolute path (as {@code execvp} would find it).
 */
final class CommandResolver {

    private final Path rootOnHost;
    private final String rootfsDescription;

    CommandResolver(Rootfs rootfs, String rootfsDescription) {
        this.rootOnHost = rootfs instanceof Rootfs.Directory directory ? directory.path() : Path.of("/");
        this.rootfsDescription = rootfsDescription;
    }

    /**
     * @param argv the command; argv[0] absolute, relative with a slash, or a name to look up
     * @param path the container's {@code PATH}
     * @throws InvalidSpecException naming {@code command} when a bare name is on none of the PATH's directories
     */
    List<String> resolve(List<String> argv, String path) {
        if (argv.isEmpty() || argv.get(0).contains("/")) {
            return argv;
        }
        String name = argv.get(0);
        for (String dir : path.split(":")) {
            if (!dir.startsWith("/")) {
                continue;
            }
            // a symlink counts as found: an absolute link target means a path inside the rootfs, not on the host
            if (Files.exists(rootOnHost.resolve(dir.substring(1)).resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                List<String> resolved = new ArrayList<>(argv);
                resolved.set(0, dir + (dir.endsWith("/") ? "" : "/") + name);
                return resolved;
            }
        }
        throw new InvalidSpecException("command", name, "an absolute path, or a program on PATH=" + path + " in rootfs " + rootfsDescription);
    }
}
