package io.github.junitsandbox.runtime;

/** What {@code kill(pid, signal)} from inside a container answered. */
public enum KillPermission {
    /** The signal was (or, for signal 0, would be) delivered. */
    ALLOWED,
    /** The process cannot be seen from inside: {@code ESRCH}. */
    NOT_VISIBLE,
    /** The process is visible but the caller may not signal it: {@code EPERM}. */
    DENIED
}
