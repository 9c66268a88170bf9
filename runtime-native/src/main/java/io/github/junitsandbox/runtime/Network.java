package io.github.junitsandbox.runtime;

import java.util.Locale;

/** The {@code network} attribute: what network a container gets. */
public enum Network {
    /** A new network namespace with {@code lo} up and nothing else. */
    NONE,
    /** The host's network namespace, shared: an explicit loosening. */
    HOST;

    static final String ACCEPTED = "none (a new network namespace with only lo) or host (share the host's network)";

    /** @throws InvalidSpecException naming {@code network} for anything but {@code none} or {@code host} */
    public static Network parse(String text) {
        String normalized = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (normalized) {
            case "none" -> NONE;
            case "host" -> HOST;
            default -> throw new InvalidSpecException("network", text, ACCEPTED);
        };
    }

    /** The spelling {@link #parse} accepts. */
    public String attributeValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
