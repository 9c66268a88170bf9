package io.github.junitsandbox.runtime.rootfs;

import java.io.IOException;

/**
 * Where a container's root filesystem comes from. The string forms of {@code rootfs} are parsed
 * into providers by {@link RootfsScheme}s; a custom source implements this directly (the
 * {@code @Sandbox} annotation takes its class, which needs a public no-argument constructor).
 *
 * <p>{@link #provide} is called for every launch: a source that unpacks or builds something must
 * cache it under {@link RootfsContext#cacheDir()} and cost no more than a check when warm. It must
 * be safe to call from several threads at once.
 */
public interface RootfsProvider {

    Rootfs provide(RootfsContext context) throws IOException;

    /** How this source is written in {@code rootfs}, for reports: {@code tar:/x/y.tar}, {@code busybox}. */
    String describe();
}
