package io.github.junitsandbox.runtime.launcher;

import io.github.junitsandbox.runtime.KillPermission;
import io.github.junitsandbox.runtime.ProcessEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Reads what {@code sandbox-init probe} prints (docs/launcher-protocol.md, "exec and probe"). */
final class ProbeOutput {

    private ProbeOutput() {
    }

    /** {@code pids}: {@code pid\tuid\tstate\tcomm\tcmdline} per line, sorted by pid. */
    static List<ProcessEntry> processes(String output) {
        List<ProcessEntry> entries = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", 5);
            if (f.length != 5) {
                throw new SandboxProtocolException(line);
            }
            try {
                String cmdline = f[4].strip();
                entries.add(new ProcessEntry(Long.parseLong(f[0]), Long.parseLong(f[1]), f[2], cmdline.isEmpty() ? "[" + f[3] + "]" : cmdline));
            } catch (NumberFormatException e) {
                throw new SandboxProtocolException(line);
            }
        }
        entries.sort(Comparator.comparingLong(ProcessEntry::pid));
        return entries;
    }

    /** {@code kill PID SIGNAL}: {@code ALLOWED}, {@code ESRCH} or {@code EPERM}. */
    static KillPermission killPermission(String output) {
        return switch (output.strip()) {
            case "ALLOWED" -> KillPermission.ALLOWED;
            case "ESRCH" -> KillPermission.NOT_VISIBLE;
            case "EPERM" -> KillPermission.DENIED;
            default -> throw new SandboxProtocolException(output.strip());
        };
    }

    /** {@code hostname}: one line. */
    static String hostname(String output) {
        return output.strip();
    }
}
