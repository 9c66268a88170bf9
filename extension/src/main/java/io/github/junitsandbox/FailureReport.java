package io.github.junitsandbox;

import io.github.junitsandbox.runtime.Container;
import io.github.junitsandbox.runtime.SandboxException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a failed test's report gets about its container (Surefire shows report entries in its XML
 * reports and the console): which container, the effective spec, the layer that took its writes to
 * the root (overlay, copy or none), and the tail of what the subject wrote.
 */
final class FailureReport {

    static final String CONTAINER = "junit.sandbox.container";
    static final String SPEC = "junit.sandbox.spec";
    static final String LAYER = "junit.sandbox.layer";
    static final String PIDS = "junit.sandbox.pids";
    static final String DEVICES = "junit.sandbox.devices";
    static final String STDOUT = "junit.sandbox.stdout";
    static final String STDERR = "junit.sandbox.stderr";
    static final String KEPT = "junit.sandbox.kept";

    /** Enough to see how the subject ended without flooding the report. */
    static final int TAIL_LINES = 40;

    private FailureReport() {
    }

    static Map<String, String> entries(Container container) {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(CONTAINER, container.id() + " (host PID of its PID 1: " + container.hostPid() + ")");
        entries.put(SPEC, container.spec().describe());
        entries.put(LAYER, container.layer().toString());
        entries.put(PIDS, container.pidLimit().describe(container.spec().pidsLimit()));
        entries.put(DEVICES, container.deviceGuard().describe());
        entries.put(STDOUT, tail(container::subjectStdout));
        entries.put(STDERR, tail(container::subjectStderr));
        return entries;
    }

    static String keptNotice(Container container) {
        return "container " + container.id() + " is kept running until the end of the test run (junit.sandbox.keepOnFailure);"
                + " enter it with: nsenter --target " + container.hostPid() + " --all";
    }

    /** The last {@link #TAIL_LINES} lines; report entries may not be blank, so emptiness is said in words. */
    static String tail(Supplier<String> output) {
        String text;
        try {
            text = output.get();
        } catch (SandboxException e) {
            return "(not available: " + e.getMessage() + ")";
        }
        if (text == null || text.isBlank()) {
            return "(nothing)";
        }
        String[] lines = text.split("\n", -1);
        int end = text.endsWith("\n") ? lines.length - 1 : lines.length;
        int start = Math.max(0, end - TAIL_LINES);
        String kept = String.join("\n", Arrays.copyOfRange(lines, start, end));
        return start == 0 ? kept : "(" + start + " earlier lines left out)\n" + kept;
    }
}
