package io.github.junitsandbox.runtime;

/**
 * A value given for a container attribute is not accepted. Carries the attribute's name (as the
 * {@code @Sandbox} attribute spells it), the rejected value and what is accepted, so that the
 * extension can report it against the annotation.
 */
public class InvalidSpecException extends SandboxException {
    private static final long serialVersionUID = 1L;

    private final String attribute;
    private final String value;
    private final String accepted;

    public InvalidSpecException(String attribute, Object value, String accepted) {
        super(attribute + " = " + render(value) + " is not accepted: " + accepted);
        this.attribute = attribute;
        this.value = String.valueOf(value);
        this.accepted = accepted;
    }

    private static String render(Object value) {
        return value instanceof CharSequence ? "\"" + value + "\"" : String.valueOf(value);
    }

    /** The attribute, as {@code @Sandbox} names it: {@code memory}, {@code pids}, {@code hostname}... */
    public String attribute() {
        return attribute;
    }

    public String value() {
        return value;
    }

    /** What the attribute accepts, in words a user can act on. */
    public String accepted() {
        return accepted;
    }
}
