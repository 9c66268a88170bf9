package io.github.junitsandbox.runtime.rootfs;

import io.github.junitsandbox.runtime.InvalidSpecException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** The string form {@code dir:PATH}. */
public final class DirectoryRootfsScheme implements RootfsScheme {

    @Override
    public String scheme() {
        return "dir";
    }

    @Override
    public String syntax() {
        return "dir:PATH (an existing directory, never written to)";
    }

    @Override
    public RootfsProvider parse(String argument) {
        String value = "dir:" + argument;
        if (argument.isEmpty()) {
            throw new InvalidSpecException("rootfs", value, "dir: needs a directory path after the colon");
        }
        Path path;
        try {
            path = Path.of(argument);
        } catch (InvalidPathException e) {
            throw new InvalidSpecException("rootfs", value, "dir:PATH with a valid path (" + e.getReason() + ")");
        }
        if (!Files.exists(path)) {
            throw new InvalidSpecException("rootfs", value, "dir:PATH with an existing directory; " + path.toAbsolutePath() + " does not exist");
        }
        if (!Files.isDirectory(path)) {
            throw new InvalidSpecException("rootfs", value, "dir:PATH with a directory; " + path.toAbsolutePath() + " is not one");
        }
        return new DirectoryRootfsProvider(path);
    }
}
