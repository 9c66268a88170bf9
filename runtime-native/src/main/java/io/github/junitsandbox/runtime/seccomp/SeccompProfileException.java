package io.github.junitsandbox.runtime.seccomp;

import io.github.junitsandbox.runtime.SandboxException;

/**
 * A seccomp profile cannot be used: it is not well-formed JSON, or it says something this runtime
 * cannot carry out. The message names the profile, the place in it (a line and column, or a path
 * such as {@code syscalls[3].args[0].op}) and what is accepted there.
 */
public final class SeccompProfileException extends SandboxException {
    private static final long serialVersionUID = 1L;

    public SeccompProfileException(String source, String where, String problem) {
        super("seccomp profile " + source + ": " + where + ": " + problem);
    }

    public SeccompProfileException(String source, String where, String problem, Throwable cause) {
        super("seccomp profile " + source + ": " + where + ": " + problem, cause);
    }
}
