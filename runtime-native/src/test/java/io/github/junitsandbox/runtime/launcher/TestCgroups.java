package io.github.junitsandbox.runtime.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/** cgroup v1 directories a test creates under /sys/fs/cgroup/CONTROLLER/junit-sandbox-test-JVMPID/, removed afterwards. */
final class TestCgroups implements AutoCloseable {

    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private final Deque<Path> created = new ArrayDeque<>();

    Path create(String controller, String name) {
        Path parent = ROOT.resolve(controller).resolve("junit-sandbox-test-" + ProcessHandle.current().pid());
        Path dir = parent.resolve(name);
        try {
            if (!Files.isDirectory(parent)) {
                Files.createDirectory(parent);
                created.push(parent);
            }
            Files.createDirectory(dir);
            created.push(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path dir, String file, String value) {
        try {
            Files.writeString(dir.resolve(file), value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path dir, String file) {
        try {
            return Files.readString(dir.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** rmdir, deepest first; a cgroup still holding processes cannot be removed, which then fails the test. */
    @Override
    public void close() throws IOException {
        while (!created.isEmpty()) {
            Files.delete(created.pop());
        }
    }
}
