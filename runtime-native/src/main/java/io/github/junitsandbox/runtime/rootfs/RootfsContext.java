package io.github.junitsandbox.runtime.rootfs;

import java.nio.file.Path;

/** What the runtime offers a {@link RootfsProvider}. */
public interface RootfsContext {

    /** A directory this JVM's user owns, kept across runs, where unpacked or built roots are cached. */
    Path cacheDir();
}
