package io.github.junitsandbox.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A root filesystem directory shaped like merged-/usr Debian, whose /usr is bound from the host. */
final class MinimalRootfs {

    private MinimalRootfs() {
    }

    static void create(Path root) throws IOException {
        Files.createDirectories(root.resolve("usr"));
        Files.createDirectories(root.resolve("etc"));
        for (String dir : new String[] {"bin", "sbin", "lib", "lib64"}) {
            Files.createSymbolicLink(root.resolve(dir), Path.of("usr/" + dir));
        }
    }
}
