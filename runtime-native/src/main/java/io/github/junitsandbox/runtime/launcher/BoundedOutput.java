package io.github.junitsandbox.runtime.launcher;

import io.github.junitsandbox.runtime.ByteSizes;
import io.github.junitsandbox.runtime.ExecResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a stream to its end keeping at most a limit of bytes: the rest is read (so that the writer never blocks on a
 * full pipe) and counted, never held. No output from inside a container reaches the JVM's heap unbounded.
 *
 * @param text the kept bytes, decoded as UTF-8
 * @param dropped the bytes read past the limit
 */
record BoundedOutput(String text, long dropped) {

    /** What an exec keeps of each of its outputs unless {@value ExecResult#OUTPUT_LIMIT_PROPERTY} says otherwise. */
    static final long DEFAULT_LIMIT = 16L << 20;

    /** The limit in force: the system property, read once. */
    static final long LIMIT = limitFrom(System.getProperty(ExecResult.OUTPUT_LIMIT_PROPERTY));

    static long limitFrom(String property) {
        return property == null || property.isBlank() ? DEFAULT_LIMIT : ByteSizes.parse(ExecResult.OUTPUT_LIMIT_PROPERTY, property);
    }

    /** Reads {@code in} to its end and closes it. */
    static BoundedOutput read(InputStream in, long limit) {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        long dropped = 0;
        byte[] buffer = new byte[64 * 1024];
        try (in) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                int keep = (int) Math.min(n, Math.max(0, limit - kept.size()));
                kept.write(buffer, 0, keep);
                dropped += n - keep;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BoundedOutput(kept.toString(StandardCharsets.UTF_8), dropped);
    }
}
