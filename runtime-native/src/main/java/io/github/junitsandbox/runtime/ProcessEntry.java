package io.github.junitsandbox.runtime;

/**
 * One line of a container's process table as seen from inside.
 *
 * @param pid the PID inside the container's PID namespace
 * @param uid the real uid inside the container's user namespace
 * @param state the one-letter state from {@code /proc/PID/stat} (R, S, Z...)
 * @param command the command line, arguments separated by spaces (the name in brackets for kernel threads)
 */
public record ProcessEntry(long pid, long uid, String state, String command) {
}
