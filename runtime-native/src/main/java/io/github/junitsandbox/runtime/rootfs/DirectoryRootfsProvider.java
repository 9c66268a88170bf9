package io.github.junitsandbox.runtime.rootfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * {@code rootfs = "dir:PATH"}: an existing directory on the host, used read-only beneath the
 * container's throwaway layer.
 *
 * @param path absolute
 */
public record DirectoryRootfsProvider(Path path) implements RootfsProvider {

    public DirectoryRootfsProvider {
        path = path.toAbsolutePath().normalize();
    }

    @Override
    public Rootfs provide(RootfsContext context) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "the directory given as rootfs");
        }
        if (!Files.isDirectory(path)) {
            throw new NotDirectoryException(path.toString());
        }
        return new Rootfs.Directory(path, ImageDefaults.none());
    }

    @Override
    public String describe() {
        return "dir:" + path;
    }
}
