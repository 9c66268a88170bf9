package io.github.junitsandbox.runtime.os;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This JVM's process ids and credentials, read from {@code /proc/self/status} rather than through {@link LibC}: loading JNA
 * costs a fresh JVM a quarter of a second here, which the first container should not wait for.
 */
public final class ThisProcess {

    private static final Credentials CREDENTIALS = Credentials.read();

    /** Effective and real ids: the second and first fields of {@code Uid:} and {@code Gid:}. */
    private record Credentials(int uid, int euid, int gid, int egid) {
        static Credentials read() {
            try {
                int[] uids = ids("Uid:");
                int[] gids = ids("Gid:");
                return new Credentials(uids[0], uids[1], gids[0], gids[1]);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read this process's credentials from /proc/self/status", e);
            }
        }

        private static int[] ids(String field) throws IOException {
            String line = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith(field)).findFirst()
                    .orElseThrow(() -> new IOException("/proc/self/status has no " + field + " line"));
            String[] values = line.substring(field.length()).trim().split("\\s+");
            return new int[] {Integer.parseUnsignedInt(values[0]), Integer.parseUnsignedInt(values[1])};
        }
    }

    private ThisProcess() {
    }

    public static long pid() {
        return ProcessHandle.current().pid();
    }

    public static int uid() {
        return CREDENTIALS.uid();
    }

    public static int euid() {
        return CREDENTIALS.euid();
    }

    public static int gid() {
        return CREDENTIALS.gid();
    }

    public static int egid() {
        return CREDENTIALS.egid();
    }

    public static boolean isRoot() {
        return euid() == 0;
    }
}
