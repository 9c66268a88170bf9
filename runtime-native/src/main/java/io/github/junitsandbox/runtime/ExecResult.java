package io.github.junitsandbox.runtime;

import java.time.Duration;

/**
 * What a command run inside a container by {@link Container#exec(String...)} did.
 *
 * @param exitCode the status as a shell reports it: 0-255, 128+n when killed by signal n
 * @param stdout everything it wrote to standard output, decoded as UTF-8
 * @param stderr everything it wrote to standard error, decoded as UTF-8
 * @param duration from the launch of the entering process to its exit
 */
public record ExecResult(int exitCode, String stdout, String stderr, Duration duration) {
}
