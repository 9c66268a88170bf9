package io.github.junitsandbox.runtime.cgroup;

import io.github.junitsandbox.runtime.SandboxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The file operations the drivers do on a cgroup filesystem, each failure turned into a
 * {@link SandboxException} naming the path, the value and the error. The kernel reacts to some of them
 * (mkdir fills a directory with control files, rmdir removes them); a faithful test tree overrides
 * exactly those reactions.
 */
class CgroupFs {

    static final CgroupFs KERNEL = new CgroupFs();

    /** What rmdir of a cgroup directory came to. */
    enum Rmdir { REMOVED, ABSENT, BUSY }

    /**
     * The error as the system put it, without Java's exception class: NIO reports ENOENT, EACCES and EEXIST as
     * exception types without a reason, other errnos as the reason text, and write(2) failures as the message.
     */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "ENOENT (No such file or directory)";
        }
        if (e instanceof AccessDeniedException) {
            return "EACCES (Permission denied)";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "EEXIST (File exists)";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new SandboxException("read " + file + ": " + reason(e), e);
        }
    }

    /** One write(2) of {@code value}; cgroup files take one value per write. */
    void write(Path file, String value) {
        try {
            Files.writeString(file, value, StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new SandboxException("write \"" + value + "\" to " + file + ": " + reason(e), e);
        }
    }

    boolean exists(Path path) {
        return Files.exists(path);
    }

    /** Creates a cgroup; fails if it exists already (a container's cgroup is always new). */
    void mkdir(Path dir) {
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            throw new SandboxException("mkdir " + dir + ": EEXIST (the cgroup exists already; container ids are unique,"
                    + " so it is a leftover: remove it with rmdir)", e);
        } catch (IOException e) {
            throw new SandboxException("mkdir " + dir + ": " + reason(e), e);
        }
    }

    /**
     * Removes a cgroup. BUSY: it still has processes (a killed process leaves its cgroup a little after it
     * died) or child cgroups.
     */
    Rmdir rmdir(Path dir) {
        try {
            Files.delete(dir);
            return Rmdir.REMOVED;
        } catch (NoSuchFileException e) {
            return Rmdir.ABSENT;
        } catch (DirectoryNotEmptyException e) {
            return Rmdir.BUSY;
        } catch (IOException e) {
            // NIO names EBUSY only by its text
            if (e instanceof FileSystemException fse && "Device or resource busy".equals(fse.getReason())) {
                return Rmdir.BUSY;
            }
            throw new SandboxException("rmdir " + dir + ": " + reason(e), e);
        }
    }

    /** The cgroups directly below {@code dir}; none if {@code dir} does not exist. */
    List<Path> subdirectories(Path dir) {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
            entries.forEach(found::add);
        } catch (IOException e) {
            throw new SandboxException("list " + dir + ": " + reason(e), e);
        }
        return found;
    }

    /** The PIDs in {@code dir/cgroup.procs}. */
    List<Integer> pids(Path dir) {
        List<Integer> pids = new ArrayList<>();
        for (String line : read(dir.resolve("cgroup.procs")).split("\n")) {
            if (!line.isBlank()) {
                pids.add(Integer.parseInt(line.strip()));
            }
        }
        return pids;
    }

    /** The value of {@code key} in a flat keyed file such as memory.events ({@code oom_kill 1}). */
    long keyedValue(Path file, String key) {
        for (String line : read(file).split("\n")) {
            String[] words = line.strip().split("\\s+");
            if (words.length == 2 && words[0].equals(key)) {
                try {
                    return Long.parseLong(words[1]);
                } catch (NumberFormatException e) {
                    throw new SandboxException("unexpected value in " + file + ": \"" + line + "\" (expected: " + key + " NUMBER)", e);
                }
            }
        }
        throw new SandboxException(file + " has no \"" + key + " N\" line; its content: \"" + read(file).strip() + "\"");
    }
}
