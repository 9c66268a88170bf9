package io.github.junitsandbox.runtime;

/**
 * A container could not be set up, entered or torn down. The message names the step that failed
 * and why, e.g. {@code pivot_root(/tmp/junit-sandbox-42/c1/root): EINVAL (Invalid argument)}, and,
 * where the cause is a missing kernel feature, how to enable it.
 */
public class SandboxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SandboxException(String message) {
        super(message);
    }

    public SandboxException(String message, Throwable cause) {
        super(message, cause);
    }
}
