package io.github.junitsandbox;

import java.util.Map;

/** Exit statuses as a shell reports them, in words: {@code 137 (killed by signal 9, SIGKILL)}. */
final class ExitStatus {

    private static final Map<Integer, String> SIGNAL_NAMES = Map.ofEntries(
            Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"), Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"),
            Map.entry(6, "SIGABRT"), Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"), Map.entry(9, "SIGKILL"),
            Map.entry(10, "SIGUSR1"), Map.entry(11, "SIGSEGV"), Map.entry(12, "SIGUSR2"), Map.entry(13, "SIGPIPE"),
            Map.entry(14, "SIGALRM"), Map.entry(15, "SIGTERM"), Map.entry(31, "SIGSYS"));

    private ExitStatus() {
    }

    static String describe(int status) {
        return status > 128 && status < 160 ? status + " (killed by " + signal(status - 128) + ")" : Integer.toString(status);
    }

    static String signal(int signal) {
        String name = SIGNAL_NAMES.get(signal);
        return name == null ? "signal " + signal : "signal " + signal + ", " + name;
    }
}
