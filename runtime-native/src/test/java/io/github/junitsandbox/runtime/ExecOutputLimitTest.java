package io.github.junitsandbox.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An exec that prints without end neither stalls nor exhausts the JVM: it keeps the limit, drops and counts the rest. */
class ExecOutputLimitTest {

    private static final long GIB = 1L << 30;

    @Test
    void aGibibyteFromAnExecLeavesA64MibHeapStanding() throws Exception {
        Process child = ChildJvm.start(List.of(), ChildJvm.classPath(), List.of("-Xmx64m"), "exec-flood", Long.toString(GIB));
        List<String> lines = ChildJvm.linesUntilDone(child, Duration.ofSeconds(120));

        assertThat(child.waitFor()).as("the child JVM's exit status (an OutOfMemoryError would end it otherwise)").isZero();
        assertThat(lines).containsExactly("exec-flood exit 0 kept " + (16L << 20) + " dropped " + (GIB - (16L << 20)) + " stderr done truncated true");
    }

    @Test
    void aSmallerLimitIsTakenFromTheSystemProperty() throws Exception {
        Process child = ChildJvm.start(List.of(), ChildJvm.classPath(), List.of("-D" + ExecResult.OUTPUT_LIMIT_PROPERTY + "=1k"), "exec-flood", "5000");
        assertThat(ChildJvm.linesUntilDone(child, Duration.ofSeconds(60))).containsExactly("exec-flood exit 0 kept 1024 dropped 3976 stderr done truncated true");
        assertThat(child.waitFor()).isZero();
    }
}
