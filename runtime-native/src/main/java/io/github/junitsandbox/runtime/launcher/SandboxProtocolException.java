package io.github.junitsandbox.runtime.launcher;

import io.github.junitsandbox.runtime.SandboxException;

/** The launcher said something the protocol does not have: a launcher and runtime of different versions, or a bug. */
final class SandboxProtocolException extends SandboxException {
    private static final long serialVersionUID = 1L;

    SandboxProtocolException(String line) {
        super("sandbox-init wrote a line that docs/launcher-protocol.md does not have: \"" + line.replace("\t", "\\t")
                + "\" (is the launcher from the same junit-sandbox-runtime jar?)");
    }
}
