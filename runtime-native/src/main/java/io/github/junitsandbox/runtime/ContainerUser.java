package io.github.junitsandbox.runtime;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The credentials a container's processes run with, inside its user namespace ({@code user}).
 *
 * @param uid the user id inside
 * @param gid the group id inside
 */
public record ContainerUser(int uid, int gid) {

    static final String ACCEPTED = "UID or UID:GID, numbers from 0 to 2147483647 (names are not looked up)";

    public static final ContainerUser ROOT = new ContainerUser(0, 0);

    private static final Pattern FORM = Pattern.compile("(\\d{1,10})(?::(\\d{1,10}))?");

    public ContainerUser {
        if (uid < 0 || gid < 0) {
            throw new InvalidSpecException("user", uid + ":" + gid, ACCEPTED);
        }
    }

    /**
     * Parses {@code UID[:GID]}; without a GID the group is the UID's number, as {@code useradd} makes it.
     *
     * @param attribute the attribute the text came from, named when it is rejected
     */
    public static ContainerUser parse(String attribute, String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new InvalidSpecException(attribute, text, ACCEPTED);
        }
        try {
            int uid = Integer.parseInt(m.group(1));
            int gid = m.group(2) == null ? uid : Integer.parseInt(m.group(2));
            return new ContainerUser(uid, gid);
        } catch (NumberFormatException e) {
            throw new InvalidSpecException(attribute, text, ACCEPTED);
        }
    }

    public boolean isRoot() {
        return uid == 0;
    }

    @Override
    public String toString() {
        return uid + ":" + gid;
    }
}
