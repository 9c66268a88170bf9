package io.github.junitsandbox.runtime;

/**
 * This host cannot give a container what its spec asks for: a kernel feature, a privilege, a delegated
 * cgroup, a tool a root filesystem is built with. The message says what is missing and how to get it.
 * Unlike other {@link SandboxException}s it says nothing wrong about the spec: the same test passes on a
 * host that has what is missing, which is why the extension may abort (skip) such a test on request.
 */
public class UnsupportedHostException extends SandboxException {
    private static final long serialVersionUID = 1L;

    public UnsupportedHostException(String message) {
        super(message);
    }
}
