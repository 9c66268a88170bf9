package io.github.junitsandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 64 containers at once on a 2-core machine: every test passes, and nothing is left when they are done. */
class ParallelLoadTest {

    @Test
    void sixtyFourContainersAtOnceAllPass(@TempDir Path stateDir) {
        HostFootprint before = HostFootprint.of(stateDir);

        ParallelLoad.run(stateDir).testEvents().assertStatistics(s -> s.started(ParallelLoad.CONTAINERS).succeeded(ParallelLoad.CONTAINERS));

        HostFootprint after = HostFootprint.of(stateDir);
        assertThat(after.processes()).as("processes of this JVM").isEqualTo(before.processes());
        assertThat(after.cgroups()).as("cgroups").isEqualTo(before.cgroups());
        assertThat(after.mounts()).as("mounts").isEqualTo(before.mounts());
        assertThat(after.stateEntries()).as("state directory").isEqualTo(before.stateEntries());
        assertThat(after.tempEntries()).as("temporary directory").isEqualTo(before.tempEntries());
    }
}
