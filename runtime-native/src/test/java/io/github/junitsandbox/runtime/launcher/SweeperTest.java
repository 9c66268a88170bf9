package io.github.junitsandbox.runtime.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.junitsandbox.runtime.cgroup.CgroupDriver;
import io.github.junitsandbox.runtime.cgroup.CgroupLimits;
import io.github.junitsandbox.runtime.cgroup.ContainerCgroup;
import io.github.junitsandbox.runtime.os.ProcessTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweep's liveness test against a /proc tree whose processes' start times are known. */
class SweeperTest {

    /** Boot a while ago, so that start times can lie before or after the directories this test creates now. */
    private static final long BOOT = Instant.now().getEpochSecond() - 1000;
    private static final long NOW = 1000;
    private static final long TICKS = 100;
    private static final long SELF = 10;

    @TempDir
    Path proc;
    @TempDir
    Path state;

    private Sweeper sweeper;
    private final RecordingCgroupDriver cgroups = new RecordingCgroupDriver();

    @BeforeEach
    void bootTime() throws IOException {
        Files.writeString(proc.resolve("stat"), "cpu  1 2 3\nbtime " + BOOT + "\nprocesses 9\n");
        sweeper = new Sweeper(state, new ProcessTable(proc, TICKS), SELF);
    }

    /** A process of that pid, started that many seconds after boot; its comm has a space and a parenthesis. */
    private void process(long pid, long secondsAfterBoot) throws IOException {
        Files.createDirectories(proc.resolve(Long.toString(pid)));
        String afterComm = "S 1 " + pid + " " + pid + " 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 " + secondsAfterBoot * TICKS + " 1000 200";
        Files.writeString(proc.resolve(pid + "/stat"), pid + " (java (main)) " + afterComm + "\n");
    }

    /** A per-JVM directory with a container's leftovers, created now (the file system records when). */
    private Path jvmDirectory(long pid) throws IOException {
        Path dir = Files.createDirectories(Sweeper.jvmDirectory(state, pid).resolve("c1/root"));
        Files.writeString(dir.getParent().resolve("stdout"), "left over");
        return Sweeper.jvmDirectory(state, pid);
    }

    @Test
    void readsTheStartTimeAfterAParenthesisedComm() throws IOException {
        process(42, 300);
        assertThat(new ProcessTable(proc, TICKS).startTime(42)).contains(Instant.ofEpochSecond(BOOT + 300));
        assertThat(new ProcessTable(proc, TICKS).startTime(43)).isEmpty();
    }

    @Test
    void removesTheDirectoryOfAPidThatIsGone() throws IOException {
        Path gone = jvmDirectory(20);
        sweeper.sweep(cgroups);
        assertThat(gone).doesNotExist();
    }

    @Test
    void removesTheDirectoryOfAPidReusedByALaterProcess() throws IOException {
        Path reused = jvmDirectory(21);
        process(21, NOW + 60);
        sweeper.sweep(cgroups);
        assertThat(reused).doesNotExist();
    }

    @Test
    void keepsTheDirectoryOfALiveOwnerAndOurOwn() throws IOException {
        Path alive = jvmDirectory(22);
        process(22, NOW - 60);
        Path own = jvmDirectory(SELF);
        Path foreign = Files.createDirectories(state.resolve("junit-sandbox-notapid"));
        sweeper.sweep(cgroups);
        assertThat(alive).exists();
        assertThat(own).exists();
        assertThat(foreign).exists();
    }

    @Test
    void givesTheCgroupDriverTheSameLivenessTest() throws IOException {
        process(30, NOW - 60);
        jvmDirectory(31);
        process(31, NOW + 60);
        sweeper.sweep(cgroups);
        LongPredicate ownerAlive = cgroups.ownerAlive;
        assertThat(ownerAlive.test(SELF)).isTrue();
        assertThat(ownerAlive.test(30)).as("alive, no state directory to compare with").isTrue();
        assertThat(ownerAlive.test(31)).as("pid reused after the directory was made").isFalse();
        assertThat(ownerAlive.test(32)).as("no such process").isFalse();
    }

    /** Keeps the liveness test the sweep hands to the cgroup driver. */
    private static final class RecordingCgroupDriver implements CgroupDriver {
        LongPredicate ownerAlive;

        @Override
        public ContainerCgroup create(String containerId, CgroupLimits limits) {
            throw new UnsupportedOperationException("the sweep creates no cgroup");
        }

        @Override
        public void sweep(LongPredicate ownerAlive) {
            this.ownerAlive = ownerAlive;
        }

        @Override
        public String describe() {
            return "recording";
        }
    }
}
