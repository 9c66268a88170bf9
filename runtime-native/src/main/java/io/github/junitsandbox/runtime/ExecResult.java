package io.github.junitsandbox.runtime;

import java.time.Duration;

/**
 * What a command run inside a container by {@link Container#exec(String...)} did. Each output is kept up to the
 * runtime's exec output limit ({@value #OUTPUT_LIMIT_PROPERTY}, 16 MiB by default): what came after is read and
 * dropped, and counted, so that a command printing without end can neither stall nor exhaust the JVM's heap. For
 * larger output, {@link Container#start(String...)} hands over the streams themselves.
 *
 * @param exitCode the status as a shell reports it: 0-255, 128+n when killed by signal n
 * @param stdout what it wrote to standard output, up to the limit, decoded as UTF-8
 * @param stderr what it wrote to standard error, up to the limit, decoded as UTF-8
 * @param duration from the launch of the entering process to its exit
 * @param stdoutDropped bytes of standard output past the limit, read and not kept
 * @param stderrDropped bytes of standard error past the limit, read and not kept
 */
public record ExecResult(int exitCode, String stdout, String stderr, Duration duration, long stdoutDropped, long stderrDropped) {

    /** The system property that sets the exec output limit: bytes, or a number with k, m or g. */
    public static final String OUTPUT_LIMIT_PROPERTY = "junit.sandbox.execOutputLimit";

    /** A result whose output was kept whole. */
    public ExecResult(int exitCode, String stdout, String stderr, Duration duration) {
        this(exitCode, stdout, stderr, duration, 0, 0);
    }

    /** Whether some output went past the limit and was dropped. */
    public boolean truncated() {
        return stdoutDropped > 0 || stderrDropped > 0;
    }
}
