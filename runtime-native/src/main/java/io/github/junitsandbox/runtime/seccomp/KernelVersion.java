package io.github.junitsandbox.runtime.seccomp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A kernel release as far as profiles compare it ({@code includes.minKernel}: "4.8"). */
public record KernelVersion(int major, int minor) implements Comparable<KernelVersion> {

    private static final Pattern LEADING_VERSION = Pattern.compile("^(\\d+)\\.(\\d+)");

    /**
     * Parses "MAJOR.MINOR" with anything after it ignored, so that both "4.8" and the running
     * kernel's "6.18.0-1-amd64" are read.
     *
     * @throws IllegalArgumentException when the text does not start with MAJOR.MINOR
     */
    public static KernelVersion parse(String text) {
        Matcher m = LEADING_VERSION.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a kernel version (accepted: MAJOR.MINOR, e.g. \"4.8\")");
        }
        return new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    /** The running kernel's release, from {@code /proc/sys/kernel/osrelease}. */
    public static KernelVersion running() {
        try {
            return parse(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kernel release from /proc/sys/kernel/osrelease", e);
        }
    }

    @Override
    public int compareTo(KernelVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
