package io.github.junitsandbox.runtime.cgroup;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of a device allowlist, in the form of cgroup v1's {@code devices.allow}: {@code c 1:3 rwm}. The launcher takes
 * the same text for the cgroup v2 device program ({@code --device-allow}), so that both versions enforce one list.
 *
 * @param type {@code 'c'} (character), {@code 'b'} (block) or {@code 'a'} (both)
 * @param major the major number, or {@link #ANY}
 * @param minor the minor number, or {@link #ANY}
 * @param access what is allowed, a non-empty subset of {@code rwm} in that order: read, write, mknod
 */
public record DeviceRule(char type, int major, int minor, String access) {

    /** {@code *} for a major or minor number. */
    public static final int ANY = -1;

    private static final Pattern TEXT = Pattern.compile("([abc]) (\\*|\\d+):(\\*|\\d+) (r?w?m?)");

    public DeviceRule {
        if (type != 'a' && type != 'b' && type != 'c') {
            throw new IllegalArgumentException("device type '" + type + "' is not accepted (accepted: a, b, c)");
        }
        if (major < ANY || minor < ANY) {
            throw new IllegalArgumentException("device number " + major + ":" + minor + " is not accepted (accepted: >= 0, or ANY)");
        }
        if (access.isEmpty() || !access.matches("r?w?m?")) {
            throw new IllegalArgumentException("device access \"" + access + "\" is not accepted (accepted: a non-empty subset of rwm, in that order)");
        }
    }

    /** Reads {@link #toString()}'s form. */
    public static DeviceRule parse(String text) {
        Matcher m = TEXT.matcher(text);
        if (!m.matches() || m.group(4).isEmpty()) {
            throw new IllegalArgumentException("device rule \"" + text + "\" is not accepted (accepted: TYPE MAJOR:MINOR ACCESS, e.g. c 1:3 rwm)");
        }
        return new DeviceRule(m.group(1).charAt(0), number(m.group(2)), number(m.group(3)), m.group(4));
    }

    private static int number(String text) {
        return text.equals("*") ? ANY : Integer.parseInt(text);
    }

    /** {@code c 1:3 rwm}, {@code c *:* m}. */
    @Override
    public String toString() {
        return type + " " + (major == ANY ? "*" : Integer.toString(major)) + ":" + (minor == ANY ? "*" : Integer.toString(minor)) + " " + access;
    }
}
