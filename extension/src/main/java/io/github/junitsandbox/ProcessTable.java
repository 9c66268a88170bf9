package io.github.junitsandbox;

import io.github.junitsandbox.runtime.ProcessEntry;
import java.util.List;

/** A container's process table as a failure message shows it, {@code ps} style. */
final class ProcessTable {

    private ProcessTable() {
    }

    static String render(List<ProcessEntry> processes) {
        if (processes.isEmpty()) {
            return "  (no process visible)";
        }
        StringBuilder table = new StringBuilder(String.format("  %7s %7s %s %s", "PID", "UID", "S", "COMMAND"));
        for (ProcessEntry p : processes) {
            table.append(String.format("%n  %7d %7d %s %s", p.pid(), p.uid(), p.state(), p.command()));
        }
        return table.toString();
    }
}
