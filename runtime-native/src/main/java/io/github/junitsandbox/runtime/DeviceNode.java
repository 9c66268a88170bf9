package io.github.junitsandbox.runtime;

import io.github.junitsandbox.runtime.cgroup.DeviceRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A host device node a container may use ({@code @Sandbox(devices)}): bound at the same path inside, and allowed by the
 * container's device allowlist, which denies every node not named (Docker's {@code --device}).
 *
 * @param path the node's path on the host, under {@code /dev}
 * @param rule what the allowlist gets for it: the node's type and numbers, with the access asked
 */
public record DeviceNode(Path path, DeviceRule rule) {

    static final String ACCEPTED = "a device node on the host under /dev, optionally with :ACCESS (r, w, m in that order;"
            + " default rwm), e.g. /dev/fuse or /dev/net/tun:rw";

    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;

    /** Reads {@code /dev/fuse} or {@code /dev/fuse:rw} and the node's type and numbers from the host. */
    static DeviceNode parse(String value) {
        int colon = value.lastIndexOf(':');
        boolean hasAccess = colon > 0 && value.substring(colon + 1).matches("r?w?m?") && colon < value.length() - 1;
        String pathText = hasAccess ? value.substring(0, colon) : value;
        String access = hasAccess ? value.substring(colon + 1) : "rwm";
        Path path;
        try {
            path = Path.of(pathText);
        } catch (InvalidPathException e) {
            throw new InvalidSpecException("devices", value, ACCEPTED);
        }
        if (!path.isAbsolute() || !path.normalize().equals(path) || !path.startsWith("/dev") || path.getNameCount() < 2) {
            throw new InvalidSpecException("devices", value, ACCEPTED);
        }
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(path, "unix:mode,rdev");
        } catch (IOException | UnsupportedOperationException e) {
            throw new InvalidSpecException("devices", value, ACCEPTED + " (" + path + ": " + e + ")");
        }
        int type = (Integer) attributes.get("mode") & S_IFMT;
        if (type != S_IFCHR && type != S_IFBLK) {
            throw new InvalidSpecException("devices", value, ACCEPTED + " (" + path + " is not a character or block device)");
        }
        long rdev = (Long) attributes.get("rdev");
        // glibc's encoding of dev_t (gnu_dev_major, gnu_dev_minor)
        int major = (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
        int minor = (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
        return new DeviceNode(path, new DeviceRule(type == S_IFCHR ? 'c' : 'b', major, minor, access));
    }

    /** Without {@code w} the bind is read-only too. */
    public boolean readOnly() {
        return !rule.access().contains("w");
    }

    /** {@code /dev/kmsg (c 1:11 rwm)}. */
    @Override
    public String toString() {
        return path + " (" + rule + ")";
    }
}
