package io.github.junitsandbox.runtime.launcher;

/** One line of the launcher's control channel (its stdout during {@code run}). */
sealed interface ControlEvent {

    /** {@code ready\t<pid 1>\t<subject or 0>}: the subject exec'd, or PID 1 is idle. */
    record Ready(long initPid, long subjectPid) implements ControlEvent {
    }

    /** {@code error\t<step>\t<ERRNO>\t<text>}: something before the subject's execve failed. */
    record Failed(LauncherError error) implements ControlEvent {
    }

    /** {@code exit\t<status>}: PID 1 exited with the subject's status. */
    record Exited(int status) implements ControlEvent {
    }

    /**
     * @throws SandboxProtocolException for a line the protocol does not have
     */
    static ControlEvent parse(String line) {
        String[] fields = line.split("\t", -1);
        try {
            switch (fields[0]) {
                case "ready":
                    if (fields.length == 3) {
                        return new Ready(Long.parseLong(fields[1]), Long.parseLong(fields[2]));
                    }
                    break;
                case "error":
                    if (fields.length == 4) {
                        return new Failed(new LauncherError(fields[1], fields[2], fields[3]));
                    }
                    break;
                case "exit":
                    if (fields.length == 2) {
                        return new Exited(Integer.parseInt(fields[1]));
                    }
                    break;
                default:
                    break;
            }
        } catch (NumberFormatException e) {
            throw new SandboxProtocolException(line);
        }
        throw new SandboxProtocolException(line);
    }
}
