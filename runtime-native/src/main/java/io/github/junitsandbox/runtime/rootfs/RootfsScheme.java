package io.github.junitsandbox.runtime.rootfs;

/**
 * One string form of the {@code rootfs} attribute, {@code SCHEME} or {@code SCHEME:ARGUMENT}.
 * Found with {@link java.util.ServiceLoader}; the runtime itself provides {@code host} and
 * {@code dir}, the fixtures module the archive and image formats.
 */
public interface RootfsScheme {

    /** The part before the first colon: {@code busybox}, {@code tar}, {@code oci}... */
    String scheme();

    /** The accepted form, shown when a value is rejected: {@code tar:PATH (.tar, .tar.gz)}. */
    String syntax();

    /**
     * Parses what follows {@code scheme:} ({@code ""} when there is no colon). Checks what can be
     * checked without doing the work (the path exists, the tag is well formed).
     *
     * @throws io.github.junitsandbox.runtime.InvalidSpecException naming {@code rootfs}, the whole value, and {@link #syntax()}
     */
    RootfsProvider parse(String argument);
}
