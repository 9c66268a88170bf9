package io.github.junitsandbox.runtime.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The subordinate ids {@code /etc/subuid} and {@code /etc/subgid} grant a user (lines {@code NAME_OR_UID:START:COUNT}),
 * and the setuid helpers {@code newuidmap}/{@code newgidmap} that map them into a user namespace: what lets a user who
 * is not root have other uids than its own inside a container, as podman does.
 */
public final class SubordinateIds {

    public static final Path SUBUID = Path.of("/etc/subuid");
    public static final Path SUBGID = Path.of("/etc/subgid");

    private static final List<Path> HELPER_DIRECTORIES = List.of(Path.of("/usr/bin"), Path.of("/bin"), Path.of("/usr/sbin"), Path.of("/sbin"));

    /** {@code count} ids from {@code start} on the host. */
    public record Range(long start, long count) {
    }

    private SubordinateIds() {
    }

    /** The first range {@code file} grants the user named {@code name} or numbered {@code id}; empty without one, or without the file. */
    public static Optional<Range> firstRange(Path file, String name, long id) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        for (String line : lines) {
            String[] fields = line.strip().split(":");
            if (fields.length == 3 && (fields[0].equals(name) || fields[0].equals(Long.toString(id)))) {
                try {
                    Range range = new Range(Long.parseLong(fields[1]), Long.parseLong(fields[2]));
                    if (range.count() > 0) {
                        return Optional.of(range);
                    }
                } catch (NumberFormatException e) {
                    // a malformed line grants nothing, as shadow's own parser treats it
                }
            }
        }
        return Optional.empty();
    }

    /** Where the helper {@code name} ({@code newuidmap}, {@code newgidmap}) is installed; empty where it is not. */
    public static Optional<Path> helper(String name) {
        return HELPER_DIRECTORIES.stream().map(dir -> dir.resolve(name)).filter(Files::isExecutable).findFirst();
    }

    /** The fix for a missing range: what Debian's and Ubuntu's useradd give a new user. */
    public static String addRangeCommand(String user) {
        return "usermod --add-subuids 100000-165535 --add-subgids 100000-165535 " + user;
    }
}
